CREATE TABLE "activity_record" (
	"provider_id" text NOT NULL,
	"month" text NOT NULL,
	"full_time" boolean NOT NULL,
	"on_national_tariff" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "application" (
	"id" serial PRIMARY KEY NOT NULL,
	"procedure_id" integer NOT NULL,
	"provider_id" text NOT NULL,
	"applicant_name" text NOT NULL,
	"grouping" jsonb,
	"units" jsonb NOT NULL,
	"subcontractors" jsonb NOT NULL,
	"scores" jsonb NOT NULL,
	"status" text NOT NULL,
	"submitted_at" date,
	"decided_at" date,
	"decided_by" text,
	"decision_reason" text,
	"contract_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text
);
--> statement-breakpoint
CREATE TABLE "assessment" (
	"id" serial PRIMARY KEY NOT NULL,
	"application_id" integer NOT NULL,
	"requirement_id" text NOT NULL,
	"outcome" text NOT NULL,
	"evidence" text NOT NULL,
	"reason" text NOT NULL,
	"assessed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"assessed_by" text
);
--> statement-breakpoint
CREATE TABLE "branch_report" (
	"id" serial PRIMARY KEY NOT NULL,
	"contract_id" integer NOT NULL,
	"provider_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"branch_of" text NOT NULL,
	"name" text NOT NULL,
	"kommun" text,
	"status" text NOT NULL,
	"reported_at" date NOT NULL,
	"decided_at" date,
	"decided_by" text,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "contract_member" (
	"contract_id" integer NOT NULL,
	"org_nr" text NOT NULL,
	"name" text NOT NULL,
	"share_percent" integer NOT NULL,
	"is_lead" boolean NOT NULL,
	"on_leaving" text NOT NULL,
	"left_at" date
);
--> statement-breakpoint
CREATE TABLE "procedure" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"rulebook_id" text,
	"field" text,
	"volume" text,
	"location" text,
	"places" integer DEFAULT 1 NOT NULL,
	"requirements" jsonb NOT NULL,
	"criteria" jsonb NOT NULL,
	"notice" jsonb NOT NULL,
	"status" text NOT NULL,
	"published_at" date,
	"award_sent_at" date,
	"award_electronic" boolean,
	"standstill_last_day" date,
	"earliest_signing" date,
	"awarded_ids" jsonb,
	"award_reason" text,
	"signed_at" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text
);
--> statement-breakpoint
CREATE TABLE "transitional_request" (
	"id" serial PRIMARY KEY NOT NULL,
	"provider_id" text NOT NULL,
	"provider_name" text NOT NULL,
	"profession" text NOT NULL,
	"orientation" text NOT NULL,
	"tariff_ends" date NOT NULL,
	"eligible" boolean NOT NULL,
	"result" jsonb NOT NULL,
	"contract_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text
);
--> statement-breakpoint
ALTER TABLE "application" ADD CONSTRAINT "application_procedure_id_procedure_id_fk" FOREIGN KEY ("procedure_id") REFERENCES "public"."procedure"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment" ADD CONSTRAINT "assessment_application_id_application_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."application"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "branch_report" ADD CONSTRAINT "branch_report_contract_id_contract_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contract"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_member" ADD CONSTRAINT "contract_member_contract_id_contract_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contract"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "activity_provider_month" ON "activity_record" USING btree ("provider_id","month");--> statement-breakpoint
CREATE UNIQUE INDEX "contract_member_org" ON "contract_member" USING btree ("contract_id","org_nr");