ALTER TABLE "transitional_request" ADD COLUMN "status" text DEFAULT 'requested' NOT NULL;--> statement-breakpoint
ALTER TABLE "transitional_request" ADD COLUMN "requested_at" date;--> statement-breakpoint
ALTER TABLE "transitional_request" ADD COLUMN "decided_at" date;--> statement-breakpoint
ALTER TABLE "transitional_request" ADD COLUMN "decided_by" text;--> statement-breakpoint
ALTER TABLE "transitional_request" ADD COLUMN "decision_reason" text;--> statement-breakpoint
-- Requests made before officers decided them were decided at once: the first with a contract per
-- provider is the grant; later ones that also got a contract (the bug this fixes) are kept, marked.
UPDATE "transitional_request" r SET "status" = CASE
  WHEN r."contract_id" IS NULL THEN 'refused'
  WHEN r."id" = (SELECT min(o."id") FROM "transitional_request" o
                 WHERE o."provider_id" = r."provider_id" AND o."contract_id" IS NOT NULL) THEN 'granted'
  ELSE 'duplicate' END,
  "requested_at" = r."created_at"::date, "decided_at" = r."created_at"::date,
  "decision_reason" = 'Prövad direkt vid begäran (före handläggarbeslut)';--> statement-breakpoint
CREATE UNIQUE INDEX "transitional_granted_once" ON "transitional_request" USING btree ("provider_id") WHERE "transitional_request"."status" = 'granted';--> statement-breakpoint
CREATE UNIQUE INDEX "transitional_open_once" ON "transitional_request" USING btree ("provider_id") WHERE "transitional_request"."status" = 'requested';