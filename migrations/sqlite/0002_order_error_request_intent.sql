ALTER TABLE `orders` ADD `error_message` text;--> statement-breakpoint
ALTER TABLE `products` ADD `request_sent_at` integer;--> statement-breakpoint
ALTER TABLE `products` ADD `requests_sent` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `products` ADD `requests_lost` integer DEFAULT 0 NOT NULL;