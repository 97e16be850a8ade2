CREATE TABLE "statement_question_message" (
	"id" serial PRIMARY KEY NOT NULL,
	"question_id" integer NOT NULL,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"author" text NOT NULL,
	"role" text NOT NULL,
	"written_on" date NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "statement_question" (
	"id" serial PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"unit_id" text NOT NULL,
	"provider_id" text NOT NULL,
	"component" text NOT NULL,
	"label" text NOT NULL,
	"month" text NOT NULL,
	"rulebook_id" text NOT NULL,
	"status" text NOT NULL,
	"asked_on" date NOT NULL,
	"asked_by" text NOT NULL,
	"closed_on" date,
	"closed_by" text,
	"correction_run_id" integer
);
--> statement-breakpoint
ALTER TABLE "statement_question_message" ADD CONSTRAINT "statement_question_message_question_id_statement_question_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."statement_question"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_question" ADD CONSTRAINT "statement_question_run_id_payment_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."payment_run"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_question" ADD CONSTRAINT "statement_question_correction_run_id_payment_run_id_fk" FOREIGN KEY ("correction_run_id") REFERENCES "public"."payment_run"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "statement_question_status" ON "statement_question" USING btree ("status");--> statement-breakpoint
CREATE INDEX "statement_question_run" ON "statement_question" USING btree ("run_id","unit_id");