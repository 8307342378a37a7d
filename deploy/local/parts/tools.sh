# shellcheck shell=bash
# tools: command line tools the stack and the services use, from Debian apt.

tools_install() {
  local need=()
  command -v mydumper >/dev/null 2>&1 || need+=(mydumper)
  command -v sysbench >/dev/null 2>&1 || need+=(sysbench)
  command -v nginx >/dev/null 2>&1 || need+=(nginx)
  command -v jq >/dev/null 2>&1 || need+=(jq)
  command -v curl >/dev/null 2>&1 || need+=(curl)
  command -v unzip >/dev/null 2>&1 || need+=(unzip)
  command -v envsubst >/dev/null 2>&1 || need+=(gettext-base)
  command -v mariadb >/dev/null 2>&1 || need+=(mariadb-client)
  command -v mariadbd >/dev/null 2>&1 || need+=(mariadb-server)
  command -v ss >/dev/null 2>&1 || need+=(iproute2)
  command -v setsid >/dev/null 2>&1 || need+=(util-linux)
  command -v mvn >/dev/null 2>&1 || need+=(maven)
  [ "${#need[@]}" -eq 0 ] || apt_install "${need[@]}"
}
