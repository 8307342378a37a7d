-- One database per service, owned by the services' user (deploy/compose.yaml mounts this file into
-- /docker-entrypoint-initdb.d/; it runs once, on an empty data volume).
CREATE DATABASE server_registry OWNER rewind;
CREATE DATABASE backup_service OWNER rewind;
CREATE DATABASE pitr_service OWNER rewind;
CREATE DATABASE agent_gateway OWNER rewind;
CREATE DATABASE run_registry OWNER rewind;
