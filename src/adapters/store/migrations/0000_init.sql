CREATE TABLE "area" (
	"batch_id" integer NOT NULL,
	"row" integer NOT NULL,
	"area" text NOT NULL,
	"kommun" text,
	"cni" double precision,
	"rural_class" text,
	"hospital_km" double precision,
	"line" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" serial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text,
	"role" text,
	"action" text NOT NULL,
	"target" text,
	"origin" text,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "event" (
	"batch_id" integer NOT NULL,
	"row" integer NOT NULL,
	"event_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"event_type" text NOT NULL,
	"date" integer NOT NULL,
	"line" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_batch" (
	"id" serial PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	"label" text,
	"files" jsonb NOT NULL,
	"counts" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "indicator" (
	"batch_id" integer NOT NULL,
	"row" integer NOT NULL,
	"unit_id" text NOT NULL,
	"indicator" text NOT NULL,
	"period_from" integer NOT NULL,
	"period_to" integer NOT NULL,
	"numerator" double precision NOT NULL,
	"denominator" double precision NOT NULL,
	"line" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "listing" (
	"batch_id" integer NOT NULL,
	"row" integer NOT NULL,
	"person_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"doctor_id" text,
	"birth_date" integer NOT NULL,
	"sex" smallint NOT NULL,
	"area" text NOT NULL,
	"listed_from" integer NOT NULL,
	"listed_to" integer NOT NULL,
	"risk_group" text,
	"line" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_run" (
	"id" serial PRIMARY KEY NOT NULL,
	"month" text NOT NULL,
	"rulebook_version_id" integer NOT NULL,
	"rulebook_id" text NOT NULL,
	"batch_id" integer NOT NULL,
	"status" text NOT NULL,
	"corrects_run_id" integer,
	"identity" jsonb NOT NULL,
	"total_ore" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	"approved_at" timestamp with time zone,
	"approved_by" text
);
--> statement-breakpoint
CREATE TABLE "provider" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text
);
--> statement-breakpoint
CREATE TABLE "rulebook_version" (
	"id" serial PRIMARY KEY NOT NULL,
	"rulebook_id" text NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"sha256" text NOT NULL,
	"yaml" text NOT NULL,
	"title" text NOT NULL,
	"region_code" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "session" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"csrf_token" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "statement" (
	"run_id" integer NOT NULL,
	"unit_id" text NOT NULL,
	"provider_id" text NOT NULL,
	"name" text NOT NULL,
	"ownership" text NOT NULL,
	"lines" jsonb NOT NULL,
	"total_ore" bigint NOT NULL,
	"listed" integer NOT NULL,
	"is_correction" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unit" (
	"batch_id" integer NOT NULL,
	"row" integer NOT NULL,
	"unit_id" text NOT NULL,
	"provider_id" text NOT NULL,
	"name" text NOT NULL,
	"ownership" text NOT NULL,
	"kommun" text,
	"start_date" date NOT NULL,
	"end_date" date,
	"branch_of" text,
	"extra" jsonb NOT NULL,
	"line" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "app_user" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"provider_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "app_user_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "visit" (
	"batch_id" integer NOT NULL,
	"row" integer NOT NULL,
	"visit_id" text NOT NULL,
	"person_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"date" integer NOT NULL,
	"profession" smallint NOT NULL,
	"contact" smallint NOT NULL,
	"doctor_id" text,
	"booked_date" integer,
	"line" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "area" ADD CONSTRAINT "area_batch_id_import_batch_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batch"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event" ADD CONSTRAINT "event_batch_id_import_batch_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batch"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator" ADD CONSTRAINT "indicator_batch_id_import_batch_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batch"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listing" ADD CONSTRAINT "listing_batch_id_import_batch_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batch"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_run" ADD CONSTRAINT "payment_run_rulebook_version_id_rulebook_version_id_fk" FOREIGN KEY ("rulebook_version_id") REFERENCES "public"."rulebook_version"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_run" ADD CONSTRAINT "payment_run_batch_id_import_batch_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batch"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session" ADD CONSTRAINT "session_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement" ADD CONSTRAINT "statement_run_id_payment_run_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."payment_run"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit" ADD CONSTRAINT "unit_batch_id_import_batch_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batch"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit" ADD CONSTRAINT "visit_batch_id_import_batch_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batch"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "area_batch_area" ON "area" USING btree ("batch_id","area");--> statement-breakpoint
CREATE INDEX "listing_batch_row" ON "listing" USING btree ("batch_id","row");--> statement-breakpoint
CREATE INDEX "listing_person" ON "listing" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "one_approved_run" ON "payment_run" USING btree ("rulebook_id","month") WHERE "payment_run"."status" = 'approved';--> statement-breakpoint
CREATE UNIQUE INDEX "rulebook_version_unique" ON "rulebook_version" USING btree ("rulebook_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "statement_run_unit" ON "statement" USING btree ("run_id","unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "unit_batch_unit" ON "unit" USING btree ("batch_id","unit_id");--> statement-breakpoint
CREATE INDEX "visit_batch_row" ON "visit" USING btree ("batch_id","row");