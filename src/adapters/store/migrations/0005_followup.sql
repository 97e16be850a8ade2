CREATE TABLE "unit_fact" (
	"id" serial PRIMARY KEY NOT NULL,
	"unit_id" text NOT NULL,
	"fact" text NOT NULL,
	"value_number" double precision,
	"value_bool" boolean,
	"valid_from" date NOT NULL,
	"note" text,
	"reported_by" text NOT NULL,
	"reported_role" text NOT NULL,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "visit" ADD COLUMN "visit_type" smallint;--> statement-breakpoint
CREATE INDEX "unit_fact_unit" ON "unit_fact" USING btree ("unit_id","fact");