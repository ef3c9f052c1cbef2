-- Stored answers are about 2 KB, around TOAST's default 2 KB threshold: keep
-- them in the plan's own row instead of a TOAST table with its own index
-- (one heap and one index insert less per plan).
ALTER TABLE plans SET (toast_tuple_target = 8160);
