DROP INDEX "visit_batch_row";
--> statement-breakpoint
CREATE INDEX "visit_batch" ON "visit" USING brin ("batch_id");