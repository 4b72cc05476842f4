#!/usr/bin/env bash
# Installs the Debian packages the full test suite needs, when any is missing:
# Chromium (browser tests), PostgreSQL (the PostgreSQL run), Pango + DejaVu fonts (WeasyPrint PDFs),
# gettext (the test that every source string is in the translation catalogues), a headless Java
# runtime (the Nu Html Checker, vnu.jar, over the pages the tests load), Graphviz (the genogram's
# and ecomap's layout engine, `dot` and `neato`: the app needs it at run time too).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
ldconfig -p | grep -q libpangoft2-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
command -v xgettext >/dev/null 2>&1 || need+=(gettext)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v dot >/dev/null 2>&1 || need+=(graphviz)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
echo "Installing system packages: ${need[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
