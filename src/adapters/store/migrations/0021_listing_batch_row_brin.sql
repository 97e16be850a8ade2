DROP INDEX "listing_batch_row";--> statement-breakpoint
CREATE INDEX "listing_batch_row" ON "listing" USING brin ("batch_id","row");