CREATE TABLE "simulation_scenarios" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"base_version_id" integer NOT NULL,
	"yaml" text NOT NULL,
	"budget_neutral" boolean DEFAULT false NOT NULL,
	"scale" jsonb,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "simulation_scenarios" ADD CONSTRAINT "simulation_scenarios_base_version_id_rulebook_version_id_fk" FOREIGN KEY ("base_version_id") REFERENCES "public"."rulebook_version"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "simulation_scenarios_created" ON "simulation_scenarios" USING btree ("created_at");