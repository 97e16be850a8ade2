CREATE TABLE "sanction" (
	"id" serial PRIMARY KEY NOT NULL,
	"rulebook_id" text NOT NULL,
	"rulebook_version_id" integer NOT NULL,
	"sanction" text NOT NULL,
	"basis" text NOT NULL,
	"subject_key" text NOT NULL,
	"subject" text NOT NULL,
	"period" text NOT NULL,
	"unit_id" text NOT NULL,
	"provider_id" text NOT NULL,
	"proposed_ore" integer NOT NULL,
	"grounds" text NOT NULL,
	"source" text NOT NULL,
	"status" text NOT NULL,
	"proposed_at" date NOT NULL,
	"proposed_by" text NOT NULL,
	"answer_due" date NOT NULL,
	"answer" text,
	"answered_at" date,
	"answered_by" text,
	"decided_ore" integer,
	"decision_reason" text,
	"decided_at" date,
	"decided_by" text,
	"settle_month" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "sanction_once" ON "sanction" USING btree ("rulebook_id","sanction","unit_id","period","subject_key");--> statement-breakpoint
CREATE INDEX "sanction_settle" ON "sanction" USING btree ("settle_month");--> statement-breakpoint
CREATE INDEX "sanction_provider" ON "sanction" USING btree ("provider_id");