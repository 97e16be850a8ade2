CREATE TABLE "batch_columns" (
	"batch_id" integer NOT NULL,
	"part" integer NOT NULL,
	"content_hash" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	CONSTRAINT "batch_columns_batch_id_part_pk" PRIMARY KEY("batch_id","part")
);
--> statement-breakpoint
ALTER TABLE "batch_columns" ADD CONSTRAINT "batch_columns_batch_id_import_batch_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batch"("id") ON DELETE no action ON UPDATE no action;