-- The source port: products and files lose ONC's columns, which move into each product's `state` and each file's
-- `meta` (JSON only the source reads). Written by hand around drizzle-kit's statements, so that an order in flight
-- keeps its dpRequestIds, runs and files. Only ALTER TABLE is used: rebuilding a table with foreign keys on would
-- cascade-delete the rows that reference it.
ALTER TABLE `orders` ADD `source` text DEFAULT 'onc-data-products' NOT NULL;--> statement-breakpoint
-- The spec as submitted stays what an Idempotency-Key is matched against; the spec itself now holds every setting of
-- an order, where restart used to change delete_file alone.
ALTER TABLE `orders` ADD `submitted_spec` text DEFAULT '' NOT NULL;--> statement-breakpoint
UPDATE `orders` SET `submitted_spec` = `spec`;--> statement-breakpoint
-- Orders made before there were sources had no order-level first step: it counts as done for them.
ALTER TABLE `orders` ADD `source_state` text;--> statement-breakpoint
UPDATE `orders` SET `source_state` = '{}';--> statement-breakpoint
UPDATE `orders` SET `spec` = json_set(`spec`,
  '$.deleteFile', json(CASE WHEN `delete_file` THEN 'true' ELSE 'false' END),
  '$.includeMetadataFile', json(CASE WHEN `include_metadata_file` THEN 'true' ELSE 'false' END));--> statement-breakpoint
ALTER TABLE `orders` DROP COLUMN `delete_file`;--> statement-breakpoint
ALTER TABLE `orders` DROP COLUMN `include_metadata_file`;--> statement-breakpoint
ALTER TABLE `products` ADD `source` text DEFAULT 'onc-data-products' NOT NULL;--> statement-breakpoint
ALTER TABLE `products` RENAME COLUMN `filters` TO `params`;--> statement-breakpoint
ALTER TABLE `products` RENAME COLUMN `last_onc_message` TO `note`;--> statement-breakpoint
ALTER TABLE `products` ADD `state` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `products` ADD `step` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `products` SET
  `state` = json_object(
    'dpRequestId', `dp_request_id`,
    'runRequestedAt', `run_requested_at`,
    'requestSentAt', `request_sent_at`,
    'requestsSent', `requests_sent`,
    'requestsLost', `requests_lost`,
    'estimatedFileSizeBytes', `estimated_file_size_bytes`,
    'estimatedProcessingSeconds', `estimated_processing_seconds`,
    'messages', json(`messages`),
    -- A product re-ordered before the upgrade kept its old runs' rows beside a request that has not run yet: those
    -- runs are the old request's, and are forgotten (its files, matched by position, stay).
    'runs', CASE WHEN `run_requested_at` IS NULL THEN json('[]') ELSE json((
      SELECT json_group_array(json_object('dpRunId', `r`.`dp_run_id`, 'status', `r`.`status`, 'fileCount', `r`.`file_count`))
      FROM (SELECT * FROM `runs` WHERE `runs`.`product_id` = `products`.`id` ORDER BY `runs`.`ordinal`) AS `r`
    )) END
  ),
  -- request, then run, then polls: the ONC conversation's steps.
  `step` = CASE `status` WHEN 'requested' THEN 1 WHEN 'running' THEN 2 ELSE 0 END,
  `status` = CASE WHEN `status` IN ('requested', 'running') THEN 'preparing' ELSE `status` END;--> statement-breakpoint
ALTER TABLE `products` DROP COLUMN `dp_request_id`;--> statement-breakpoint
ALTER TABLE `products` DROP COLUMN `request_sent_at`;--> statement-breakpoint
ALTER TABLE `products` DROP COLUMN `requests_sent`;--> statement-breakpoint
ALTER TABLE `products` DROP COLUMN `requests_lost`;--> statement-breakpoint
ALTER TABLE `products` DROP COLUMN `run_requested_at`;--> statement-breakpoint
ALTER TABLE `products` DROP COLUMN `estimated_file_size_bytes`;--> statement-breakpoint
ALTER TABLE `products` DROP COLUMN `estimated_processing_seconds`;--> statement-breakpoint
ALTER TABLE `products` DROP COLUMN `messages`;--> statement-breakpoint
ALTER TABLE `files` ADD `ref` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `files` ADD `meta` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `files` ADD `rows` integer;--> statement-breakpoint
UPDATE `files` SET
  `ref` = 'product-' || (SELECT `ordinal` FROM `products` WHERE `products`.`id` = `files`.`product_id`)
    || '/run-' || (`run_ordinal` + 1) || '/'
    || CASE `file_index` WHEN 'meta' THEN 'meta' ELSE 'file-' || `file_index` END,
  `meta` = json_object('run', `run_ordinal`, 'index', `file_index`, 'dpRunId', `dp_run_id`);--> statement-breakpoint
DROP INDEX `files_product_run_index`;--> statement-breakpoint
ALTER TABLE `files` DROP COLUMN `run_ordinal`;--> statement-breakpoint
ALTER TABLE `files` DROP COLUMN `file_index`;--> statement-breakpoint
ALTER TABLE `files` DROP COLUMN `dp_run_id`;--> statement-breakpoint
CREATE UNIQUE INDEX `files_order_ref` ON `files` (`order_id`,`ref`);--> statement-breakpoint
CREATE INDEX `files_product` ON `files` (`product_id`);--> statement-breakpoint
DROP TABLE `runs`;
