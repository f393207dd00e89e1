CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_id` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`kind` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`reason` text,
	`at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `events_order` ON `events` (`order_id`,`id`);--> statement-breakpoint
CREATE TABLE `files` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_id` text NOT NULL,
	`product_id` integer NOT NULL,
	`run_ordinal` integer NOT NULL,
	`file_index` text NOT NULL,
	`status` text NOT NULL,
	`dp_run_id` integer,
	`remote_name` text,
	`relative_path` text,
	`size` integer,
	`sha256` text,
	`bytes_downloaded` integer DEFAULT 0 NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`gone_count` integer DEFAULT 0 NOT NULL,
	`fetch_count` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`lease_owner` text,
	`lease_until` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `files_product_run_index` ON `files` (`product_id`,`run_ordinal`,`file_index`);--> statement-breakpoint
CREATE UNIQUE INDEX `files_order_path` ON `files` (`order_id`,`relative_path`);--> statement-breakpoint
CREATE INDEX `files_status` ON `files` (`status`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`label` text,
	`status` text NOT NULL,
	`spec` text NOT NULL,
	`delete_file` integer NOT NULL,
	`include_metadata_file` integer NOT NULL,
	`product_count` integer NOT NULL,
	`idempotency_key` text,
	`generation` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_idempotency_key` ON `orders` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `orders_status` ON `orders` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `products` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_id` text NOT NULL,
	`ordinal` integer NOT NULL,
	`filters` text NOT NULL,
	`status` text NOT NULL,
	`dp_request_id` integer,
	`run_requested_at` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`reorders` integer DEFAULT 0 NOT NULL,
	`generation` integer DEFAULT 0 NOT NULL,
	`error_code` integer,
	`error_parameter` text,
	`error_message` text,
	`estimated_file_size_bytes` integer,
	`estimated_processing_seconds` integer,
	`messages` text DEFAULT '[]' NOT NULL,
	`last_onc_message` text,
	`lease_owner` text,
	`lease_until` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `products_order_ordinal` ON `products` (`order_id`,`ordinal`);--> statement-breakpoint
CREATE INDEX `products_status` ON `products` (`status`);--> statement-breakpoint
CREATE TABLE `runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`product_id` integer NOT NULL,
	`ordinal` integer NOT NULL,
	`dp_run_id` integer NOT NULL,
	`status` text NOT NULL,
	`file_count` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `runs_product_ordinal` ON `runs` (`product_id`,`ordinal`);--> statement-breakpoint
CREATE UNIQUE INDEX `runs_dp_run_id` ON `runs` (`dp_run_id`);