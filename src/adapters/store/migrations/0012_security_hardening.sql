-- The audit log is append-only: TRUNCATE, which row triggers do not see, is refused too.
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
--> statement-breakpoint
-- Idle timeout: a session unused for too long ends even before it expires.
ALTER TABLE "session" ADD COLUMN "last_seen_at" timestamp with time zone DEFAULT now() NOT NULL;
--> statement-breakpoint
-- An admin disables an account instead of deleting it (its history stays in the audit log).
ALTER TABLE "app_user" ADD COLUMN "disabled_at" timestamp with time zone;
