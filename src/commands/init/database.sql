-- Run once when a local account is created (config/environments.yaml,
-- `local: seed:`), never against a real account.
--
-- floe creates the schemas the resources declare inside the environment's
-- database, which it does not manage: on a real account the database exists
-- already; here it is created for the local account. Add the tables your
-- resources read but floe does not manage (raw data a feature view queries)
-- below, as CREATE TABLE IF NOT EXISTS statements.

CREATE DATABASE IF NOT EXISTS ML_PLATFORM
    COMMENT = 'ML platform: one schema per environment';
