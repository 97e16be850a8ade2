ALTER TABLE "payment_run" ADD COLUMN "unpaid_units" jsonb;--> statement-breakpoint
ALTER TABLE "statement" ADD COLUMN "contract" jsonb;