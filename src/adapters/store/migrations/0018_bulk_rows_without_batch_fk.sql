ALTER TABLE "listing" DROP CONSTRAINT "listing_batch_id_import_batch_id_fk";
--> statement-breakpoint
ALTER TABLE "visit" DROP CONSTRAINT "visit_batch_id_import_batch_id_fk";
--> statement-breakpoint
ALTER TABLE "batch_columns" ALTER COLUMN "bytes" SET STORAGE EXTERNAL;
