#!/usr/bin/env bash
# The raw two-step call with curl, the curl scripts' baseline: POST for an event id, then
# read the result stream. Usage: raw_call.sh URL NAME JSON_DATA [FILE]; with FILE, it is
# uploaded first and its FileData replaces the "@file" in JSON_DATA.
set -euo pipefail
url=$1 name=$2 data=$3
if [[ $# -gt 3 ]]; then
  uploaded=$(curl -sS -F "files=@$4" "$url/gradio_api/upload")
  [[ $uploaded =~ ^\[\"(.*)\"\]$ ]]
  data=${data/\"@file\"/"{\"path\": \"${BASH_REMATCH[1]}\", \"meta\": {\"_type\": \"gradio.FileData\"}}"}
fi
answer=$(curl -sS -H 'Content-Type: application/json' -d "{\"data\": $data}" "$url/gradio_api/call/$name")
[[ $answer =~ \"event_id\":\ *\"([^\"]+)\" ]]
curl -sS -N "$url/gradio_api/call/$name/${BASH_REMATCH[1]}"
