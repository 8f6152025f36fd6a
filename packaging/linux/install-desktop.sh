#!/bin/sh
# Install the desktop entry, the AppStream metainfo and the icons of Troubleshooting Wizard, so the
# app appears in the launcher and in software centres.
#
#   sh install-desktop.sh            for this user (~/.local/share)
#   sh install-desktop.sh --system   for every user of the machine (/usr/local/share; run as root)
#   sh install-desktop.sh --prefix DIR   into DIR/share (packagers)
#   add --uninstall to remove what an install put there
#
# From a source checkout the entry starts `troubleshooting-wizard` from PATH (after `pip install .`);
# from a standalone build it starts the program beside this script, wherever that folder is.
set -eu

APP_ID=se.troubleshootingwizard.TroubleshootingWizard
here=$(cd "$(dirname "$0")" && pwd)
if [ -d "$here/share/applications" ]; then  # inside a standalone build
    source_share=$here/share
    program=$here/troubleshooting-wizard
else  # packaging/linux in a source checkout
    source_share=
    program=
fi

share=${XDG_DATA_HOME:-$HOME/.local/share}
uninstall=no
while [ $# -gt 0 ]; do
    case $1 in
        --system) share=/usr/local/share ;;
        --prefix) shift; share=${1:?--prefix needs a folder}/share ;;
        --uninstall) uninstall=yes ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "install-desktop.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

sizes="16 24 32 48 64 128 256 512"
desktop=$share/applications/$APP_ID.desktop
metainfo=$share/metainfo/$APP_ID.metainfo.xml
icons=$share/icons/hicolor

if [ "$uninstall" = yes ]; then
    rm -f "$desktop" "$metainfo" "$icons/scalable/apps/$APP_ID.svg"
    for size in $sizes; do rm -f "$icons/${size}x$size/apps/$APP_ID.png"; done
    echo "removed the desktop entry of Troubleshooting Wizard from $share"
else
    if [ -n "$source_share" ]; then
        entry=$source_share/applications/$APP_ID.desktop
        meta=$source_share/metainfo/$APP_ID.metainfo.xml
        icon_source=$source_share/icons/hicolor
    else
        entry=$here/$APP_ID.desktop
        meta=$here/$APP_ID.metainfo.xml
        icon_source=$here/../icons/hicolor
    fi
    mkdir -p "$share/applications" "$share/metainfo" "$icons/scalable/apps"
    if [ -n "$program" ]; then
        # The desktop entry spec wants a path with spaces or quotes in double quotes.
        quoted=$(printf '%s' "$program" | sed 's/[\\"`$]/\\\\&/g')
        sed "s|^Exec=.*|Exec=\"$quoted\"|" "$entry" > "$desktop.tmp"
    else
        cp "$entry" "$desktop.tmp"
    fi
    mv "$desktop.tmp" "$desktop"
    cp "$meta" "$metainfo"
    cp "$icon_source/scalable/apps/$APP_ID.svg" "$icons/scalable/apps/"
    for size in $sizes; do
        mkdir -p "$icons/${size}x$size/apps"
        cp "$icon_source/${size}x$size/apps/$APP_ID.png" "$icons/${size}x$size/apps/"
    done
    echo "installed the desktop entry of Troubleshooting Wizard in $share"
fi

# Tell launchers; both tools are optional and their absence changes nothing above.
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$share/applications" 2>/dev/null || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$icons/index.theme" ]; then
    gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true
fi
