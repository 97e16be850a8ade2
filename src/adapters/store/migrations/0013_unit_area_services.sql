ALTER TABLE "unit" ADD COLUMN "area" text;--> statement-breakpoint
ALTER TABLE "unit" ADD COLUMN "services" text;