-- Raw data of the PUDO platform, as the ingestion pipelines land it in
-- OSS_SF_MLOPS.SHARED_DATA. floe does not manage these tables: the feature
-- views only read them. This file creates them in a new local account so the
-- feature views can be created there (a view over a missing table is
-- refused, as in Snowflake).
--
-- The tables the task graphs write (training sets, predictions, alerts,
-- monitoring metrics) are not here: each graph creates its own tables in
-- PUDO_<ENV> with CREATE TABLE IF NOT EXISTS / CREATE OR REPLACE TABLE.

CREATE DATABASE IF NOT EXISTS OSS_SF_MLOPS
    COMMENT = 'MLOps platform for PUDO capacity forecasting: shared raw data and one set of schemas per environment';

CREATE SCHEMA IF NOT EXISTS OSS_SF_MLOPS.SHARED_DATA
    COMMENT = 'Raw data shared by every environment, loaded by the ingestion pipelines; read-only for the ML platform';

-- One row per pick-up/drop-off point (shop counter, parcel locker, post office).
CREATE TABLE IF NOT EXISTS OSS_SF_MLOPS.SHARED_DATA.PUDO_REFERENCE (
    PUDO_ID        VARCHAR(16)   NOT NULL COMMENT 'Point identifier',
    CARRIER_ID     VARCHAR(16)   NOT NULL COMMENT 'Network (carrier) operating the point',
    NAME           VARCHAR(200)  NOT NULL COMMENT 'Trading name shown to recipients',
    PUDO_TYPE      VARCHAR(20)   NOT NULL COMMENT 'SHOP, LOCKER or POST_OFFICE',
    ADDRESS_LINE   VARCHAR(300),
    POSTAL_CODE    VARCHAR(10),
    CITY           VARCHAR(100),
    COUNTRY_CODE   VARCHAR(2)    NOT NULL COMMENT 'ISO 3166-1 alpha-2',
    LATITUDE       NUMBER(9, 6)  NOT NULL,
    LONGITUDE      NUMBER(9, 6)  NOT NULL,
    CAPACITY       NUMBER(6, 0)  NOT NULL COMMENT 'Parcels the point can store at once',
    OPENING_HOURS  VARCHAR(200)           COMMENT 'e.g. Mo-Sa 09:00-19:00',
    OPENED_ON      DATE          NOT NULL,
    CLOSED_ON      DATE                   COMMENT 'NULL while the point is active',
    UPDATED_AT     TIMESTAMP_NTZ NOT NULL,
    CONSTRAINT PK_PUDO_REFERENCE PRIMARY KEY (PUDO_ID)
)
COMMENT = 'Reference data of the pick-up/drop-off points';

-- One row per parcel routed to a point; PICKED_UP_AT / RETURNED_AT are set
-- when the recipient collects it or when it goes back to the sender.
CREATE TABLE IF NOT EXISTS OSS_SF_MLOPS.SHARED_DATA.PARCELS (
    PARCEL_ID        VARCHAR(32)   NOT NULL,
    TRACKING_NUMBER  VARCHAR(40)   NOT NULL,
    PUDO_ID          VARCHAR(16)   NOT NULL,
    CARRIER_ID       VARCHAR(16)   NOT NULL,
    SHIPPER_ID       VARCHAR(32),
    SIZE_CLASS       VARCHAR(2)             COMMENT 'S, M, L or XL',
    WEIGHT_KG        NUMBER(7, 3),
    ARRIVED_AT       TIMESTAMP_NTZ          COMMENT 'Scanned in at the point',
    PICKUP_DEADLINE  DATE                   COMMENT 'Last day before return to sender',
    PICKED_UP_AT     TIMESTAMP_NTZ          COMMENT 'Collected by the recipient',
    RETURNED_AT      TIMESTAMP_NTZ          COMMENT 'Sent back after the deadline',
    STATUS           VARCHAR(20)   NOT NULL COMMENT 'IN_TRANSIT, AT_POINT, PICKED_UP or RETURNED',
    UPDATED_AT       TIMESTAMP_NTZ NOT NULL,
    CONSTRAINT PK_PARCELS PRIMARY KEY (PARCEL_ID)
)
COMMENT = 'Parcels delivered to pick-up/drop-off points';

-- Every attempt of a driver to drop a parcel at a point, successful or not.
CREATE TABLE IF NOT EXISTS OSS_SF_MLOPS.SHARED_DATA.DELIVERY_ATTEMPTS (
    ATTEMPT_ID      VARCHAR(32)   NOT NULL,
    PARCEL_ID       VARCHAR(32)   NOT NULL,
    PUDO_ID         VARCHAR(16)   NOT NULL,
    CARRIER_ID      VARCHAR(16)   NOT NULL,
    DRIVER_ID       VARCHAR(32),
    ATTEMPTED_AT    TIMESTAMP_NTZ NOT NULL,
    OUTCOME         VARCHAR(20)   NOT NULL COMMENT 'DELIVERED, REFUSED_FULL, POINT_CLOSED, DAMAGED or OTHER',
    FAILURE_REASON  VARCHAR(200),
    UPDATED_AT      TIMESTAMP_NTZ NOT NULL,
    CONSTRAINT PK_DELIVERY_ATTEMPTS PRIMARY KEY (ATTEMPT_ID)
)
COMMENT = 'Drop-off attempts of carriers at the points';

-- End-of-day occupancy snapshot of every point: the target of the model.
CREATE TABLE IF NOT EXISTS OSS_SF_MLOPS.SHARED_DATA.PUDO_OCCUPANCY (
    PUDO_ID         VARCHAR(16)   NOT NULL,
    DATE            DATE          NOT NULL,
    PARCELS_STORED  NUMBER(6, 0)  NOT NULL COMMENT 'Parcels on the shelves at closing time',
    PARCELS_IN      NUMBER(6, 0)           COMMENT 'Parcels scanned in during the day',
    PARCELS_OUT     NUMBER(6, 0)           COMMENT 'Parcels picked up or returned during the day',
    CAPACITY        NUMBER(6, 0)  NOT NULL COMMENT 'Capacity that day (may differ from the reference)',
    UPDATED_AT      TIMESTAMP_NTZ NOT NULL,
    CONSTRAINT PK_PUDO_OCCUPANCY PRIMARY KEY (PUDO_ID, DATE)
)
COMMENT = 'Daily occupancy snapshots of the points';

-- Public holidays per country, for the calendar features.
CREATE TABLE IF NOT EXISTS OSS_SF_MLOPS.SHARED_DATA.PUBLIC_HOLIDAYS (
    COUNTRY_CODE  VARCHAR(2)    NOT NULL,
    HOLIDAY_DATE  DATE          NOT NULL,
    HOLIDAY_NAME  VARCHAR(100)  NOT NULL,
    CONSTRAINT PK_PUBLIC_HOLIDAYS PRIMARY KEY (COUNTRY_CODE, HOLIDAY_DATE)
)
COMMENT = 'Public holidays by country';

-- A few points in Paris, close enough to each other for the 1 km
-- neighbourhood features.
INSERT INTO OSS_SF_MLOPS.SHARED_DATA.PUDO_REFERENCE
    (PUDO_ID, CARRIER_ID, NAME, PUDO_TYPE, ADDRESS_LINE, POSTAL_CODE, CITY, COUNTRY_CODE,
     LATITUDE, LONGITUDE, CAPACITY, OPENING_HOURS, OPENED_ON, CLOSED_ON, UPDATED_AT)
VALUES
    ('FR75011-0001', 'CARR_A', 'Tabac de la Roquette', 'SHOP', '52 rue de la Roquette', '75011', 'Paris', 'FR',
     48.855100, 2.373700, 60, 'Mo-Sa 07:00-20:00', '2019-04-01', NULL, '2025-01-02 06:00:00'),
    ('FR75011-0002', 'CARR_B', 'Consigne Bastille', 'LOCKER', '3 place de la Bastille', '75011', 'Paris', 'FR',
     48.853200, 2.369100, 120, 'Mo-Su 00:00-24:00', '2021-09-15', NULL, '2025-01-02 06:00:00'),
    ('FR75011-0003', 'CARR_A', 'Epicerie Voltaire', 'SHOP', '118 boulevard Voltaire', '75011', 'Paris', 'FR',
     48.859700, 2.378900, 45, 'Mo-Sa 09:00-21:00', '2020-02-10', NULL, '2025-01-02 06:00:00'),
    ('FR75012-0001', 'CARR_C', 'Bureau de poste Ledru-Rollin', 'POST_OFFICE', '20 avenue Ledru-Rollin', '75012', 'Paris', 'FR',
     48.847800, 2.371500, 200, 'Mo-Fr 09:00-18:00, Sa 09:00-12:30', '2015-01-05', NULL, '2025-01-02 06:00:00');

INSERT INTO OSS_SF_MLOPS.SHARED_DATA.PUBLIC_HOLIDAYS (COUNTRY_CODE, HOLIDAY_DATE, HOLIDAY_NAME)
VALUES
    ('FR', '2025-01-01', 'Jour de l''an'),
    ('FR', '2025-04-21', 'Lundi de Paques'),
    ('FR', '2025-05-01', 'Fete du travail'),
    ('FR', '2025-05-08', 'Victoire 1945'),
    ('FR', '2025-05-29', 'Ascension'),
    ('FR', '2025-06-09', 'Lundi de Pentecote'),
    ('FR', '2025-07-14', 'Fete nationale'),
    ('FR', '2025-08-15', 'Assomption'),
    ('FR', '2025-11-01', 'Toussaint'),
    ('FR', '2025-11-11', 'Armistice 1918'),
    ('FR', '2025-12-25', 'Noel'),
    ('FR', '2026-01-01', 'Jour de l''an'),
    ('FR', '2026-04-06', 'Lundi de Paques'),
    ('FR', '2026-05-01', 'Fete du travail'),
    ('FR', '2026-05-08', 'Victoire 1945'),
    ('FR', '2026-05-14', 'Ascension'),
    ('FR', '2026-05-25', 'Lundi de Pentecote'),
    ('FR', '2026-07-14', 'Fete nationale'),
    ('FR', '2026-08-15', 'Assomption'),
    ('FR', '2026-11-01', 'Toussaint'),
    ('FR', '2026-11-11', 'Armistice 1918'),
    ('FR', '2026-12-25', 'Noel');
