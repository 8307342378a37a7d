/*!40101 SET NAMES binary*/;
/*!40014 SET FOREIGN_KEY_CHECKS=0*/;

/*!40103 SET TIME_ZONE='+00:00' */;
CREATE TABLE `alltypes` (
  `id` int NOT NULL AUTO_INCREMENT,
  `i_s` int DEFAULT NULL,
  `i_u` int unsigned DEFAULT NULL,
  `ti` tinyint DEFAULT NULL,
  `si` smallint unsigned DEFAULT NULL,
  `mi` mediumint DEFAULT NULL,
  `bi` bigint DEFAULT NULL,
  `bu` bigint unsigned DEFAULT NULL,
  `dec1` decimal(20,6) DEFAULT NULL,
  `f` float DEFAULT NULL,
  `d` double DEFAULT NULL,
  `b1` bit(1) DEFAULT NULL,
  `b12` bit(12) DEFAULT NULL,
  `b64` bit(64) DEFAULT NULL,
  `dt` date DEFAULT NULL,
  `tm` time(3) DEFAULT NULL,
  `dtm` datetime(6) DEFAULT NULL,
  `ts` timestamp(6) NULL DEFAULT NULL,
  `yr` year DEFAULT NULL,
  `c` char(10) DEFAULT NULL,
  `vc` varchar(200) DEFAULT NULL,
  `tx` text,
  `l1` varchar(50) CHARACTER SET latin1 COLLATE latin1_swedish_ci DEFAULT NULL,
  `bn` binary(4) DEFAULT NULL,
  `vb` varbinary(64) DEFAULT NULL,
  `bl` blob,
  `en` enum('a','b','c d') DEFAULT NULL,
  `st` set('x','y','z') DEFAULT NULL,
  `js` json DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;
