CREATE TABLE "batch_visit_ids" (
	"batch_id" integer NOT NULL,
	"part" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	CONSTRAINT "batch_visit_ids_batch_id_part_pk" PRIMARY KEY("batch_id","part")
);
--> statement-breakpoint
ALTER TABLE "import_batch" ADD COLUMN "visit_rows_written" integer;
--> statement-breakpoint
ALTER TABLE "batch_visit_ids" ADD CONSTRAINT "batch_visit_ids_batch_id_import_batch_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batch"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_visit_ids" ALTER COLUMN "bytes" SET STORAGE EXTERNAL;
