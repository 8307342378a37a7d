/*!40101 SET NAMES binary*/;
/*!40014 SET FOREIGN_KEY_CHECKS=0*/;

/*!40103 SET TIME_ZONE='+00:00' */;
CREATE TABLE `alltypes` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `i_s` int(11) DEFAULT NULL,
  `i_u` int(10) unsigned DEFAULT NULL,
  `ti` tinyint(4) DEFAULT NULL,
  `si` smallint(5) unsigned DEFAULT NULL,
  `mi` mediumint(9) DEFAULT NULL,
  `bi` bigint(20) DEFAULT NULL,
  `bu` bigint(20) unsigned DEFAULT NULL,
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
  `yr` year(4) DEFAULT NULL,
  `c` char(10) DEFAULT NULL,
  `vc` varchar(200) DEFAULT NULL,
  `tx` text DEFAULT NULL,
  `l1` varchar(50) CHARACTER SET latin1 COLLATE latin1_swedish_ci DEFAULT NULL,
  `bn` binary(4) DEFAULT NULL,
  `vb` varbinary(64) DEFAULT NULL,
  `bl` blob DEFAULT NULL,
  `en` enum('a','b','c d') DEFAULT NULL,
  `st` set('x','y','z') DEFAULT NULL,
  `js` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`js`)),
  PRIMARY KEY (`id`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
