CREATE TABLE "contract" (
	"id" serial PRIMARY KEY NOT NULL,
	"provider_id" text NOT NULL,
	"unit_id" text,
	"connection_form" text NOT NULL,
	"rulebook_id" text,
	"start_date" date NOT NULL,
	"end_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text
);
--> statement-breakpoint
CREATE TABLE "subcontractor" (
	"id" serial PRIMARY KEY NOT NULL,
	"provider_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"org_nr" text NOT NULL,
	"name" text NOT NULL,
	"services" text NOT NULL,
	"status" text NOT NULL,
	"reported_at" date NOT NULL,
	"decided_at" date,
	"decided_by" text,
	"reason" text
);
