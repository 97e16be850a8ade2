ALTER TABLE "payment_run" ADD COLUMN "approval_comment" text;--> statement-breakpoint
ALTER TABLE "payment_run" ADD COLUMN "missing_month_reason" text;--> statement-breakpoint
ALTER TABLE "rulebook_version" ADD COLUMN "edited_by" text;--> statement-breakpoint
ALTER TABLE "rulebook_version" ADD COLUMN "published_by" text;--> statement-breakpoint
ALTER TABLE "app_user" ADD COLUMN "approver" boolean DEFAULT false NOT NULL;