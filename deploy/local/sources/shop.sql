-- Sample schema `shop` of the local binlog sources (MariaDB 10.11 on 3307, MySQL 8.0 on 3308).
-- Idempotent: safe to run on every start. Covers the common column types and foreign keys.
CREATE DATABASE IF NOT EXISTS shop CHARACTER SET utf8mb4;
USE shop;

CREATE TABLE IF NOT EXISTS customers (
  id           INT UNSIGNED NOT NULL AUTO_INCREMENT,
  email        VARCHAR(191) NOT NULL,
  full_name    VARCHAR(200) CHARACTER SET utf8mb4 NOT NULL,
  tier         ENUM('free','silver','gold') NOT NULL DEFAULT 'free',
  credit       DECIMAL(12,2) NOT NULL DEFAULT 0.00,
  birth_date   DATE NULL,
  flags        BIT(8) NOT NULL DEFAULT b'0',
  preferences  JSON NULL,
  created_at   DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY uk_customers_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS products (
  id           BIGINT NOT NULL AUTO_INCREMENT,
  sku          VARCHAR(64) NOT NULL,
  name         VARCHAR(200) NOT NULL,
  description  TEXT NULL,
  price        DECIMAL(10,2) NOT NULL,
  weight_kg    DOUBLE NULL,
  stock        INT NOT NULL DEFAULT 0,
  image        BLOB NULL,
  attributes   JSON NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_products_sku (sku)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS orders (
  id           BIGINT NOT NULL AUTO_INCREMENT,
  customer_id  INT UNSIGNED NOT NULL,
  status       ENUM('new','paid','shipped','cancelled') NOT NULL DEFAULT 'new',
  total        DECIMAL(12,2) NOT NULL DEFAULT 0.00,
  note         TEXT NULL,
  ordered_at   DATETIME(6) NOT NULL,
  updated_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY idx_orders_customer (customer_id),
  CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS order_items (
  order_id     BIGINT NOT NULL,
  line_no      SMALLINT UNSIGNED NOT NULL,
  product_id   BIGINT NOT NULL,
  quantity     INT NOT NULL,
  unit_price   DECIMAL(10,2) NOT NULL,
  discount     DOUBLE NOT NULL DEFAULT 0,
  PRIMARY KEY (order_id, line_no),
  KEY idx_order_items_product (product_id),
  CONSTRAINT fk_order_items_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE,
  CONSTRAINT fk_order_items_product FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT IGNORE INTO customers (id, email, full_name, tier, credit, birth_date, flags, preferences, created_at) VALUES
  (1, 'ada@example.com',    'Ada Lovelace',     'gold',   1250.50, '1815-12-10', b'00000101', '{"newsletter": true, "lang": "en"}', '2024-01-05 10:00:00.123456'),
  (2, 'jurgen@example.com', 'Jürgen Müller 🚀', 'silver',   99.99, '1980-02-29', b'00000001', '{"newsletter": false, "lang": "de"}', '2024-02-10 08:30:00.000001'),
  (3, 'zoe@example.com',    'Zoë Ångström',     'free',      0.00, NULL,         b'00000000', NULL,                                  '2024-03-15 23:59:59.999999');

INSERT IGNORE INTO products (id, sku, name, description, price, weight_kg, stock, image, attributes) VALUES
  (1, 'KB-001', 'Keyboard',  'Mechanical keyboard, brown switches', 89.90, 0.95, 40, X'89504E470D0A1A0A', '{"layout": "ISO", "colors": ["black", "white"]}'),
  (2, 'MS-002', 'Mouse',     'Wireless mouse',                       24.50, 0.08, 150, NULL,               '{"dpi": 1600}'),
  (3, 'MN-003', 'Monitor',   '27" 4K monitor — IPS',                349.00, 6.40, 12, X'DEADBEEF',        NULL);

INSERT IGNORE INTO orders (id, customer_id, status, total, note, ordered_at) VALUES
  (1, 1, 'paid',    114.40, 'first order',   '2024-04-01 12:00:00.000000'),
  (2, 2, 'new',     349.00, NULL,            '2024-04-02 09:15:30.250000'),
  (3, 1, 'shipped',  49.00, 'gift wrapping', '2024-04-03 18:45:00.500000');

INSERT IGNORE INTO order_items (order_id, line_no, product_id, quantity, unit_price, discount) VALUES
  (1, 1, 1, 1, 89.90, 0),
  (1, 2, 2, 1, 24.50, 0),
  (2, 1, 3, 1, 349.00, 0),
  (3, 1, 2, 2, 24.50, 0.0);
