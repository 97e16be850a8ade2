CREATE TABLE "listing_change" (
	"id" serial PRIMARY KEY NOT NULL,
	"batch_id" integer NOT NULL,
	"person_id" text NOT NULL,
	"unit_id" text NOT NULL,
	"doctor_id" text,
	"from_date" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text
);
--> statement-breakpoint
ALTER TABLE "listing_change" ADD CONSTRAINT "listing_change_batch_id_import_batch_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batch"("id") ON DELETE no action ON UPDATE no action;