-- Structured reasons (the figures behind each unselected proposal's reason) and each selected run's
-- contribution to the plan's expected value.
ALTER TABLE plan_unselected ADD COLUMN details TEXT;
ALTER TABLE plan_assignment ADD COLUMN expected_value NUMERIC(30, 6);
