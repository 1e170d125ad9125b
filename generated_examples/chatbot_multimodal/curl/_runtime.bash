#!/usr/bin/env bash
# The calls the curl scripts beside this file make: upload files, post, read the result.
# Copied verbatim by gradio-codegen; each script sets the variables below and runs
# gradio_call "$@". Needs bash 4.4+ and curl (and base64 to send a Gradio 3 image).
#
# A script sets: default_url, api_prefix, api_path, protocol, fn_index, input_names,
# input_kinds, input_defaults, state_positions, choices_<i>, pick, output_positions, and a
# usage function.
# shellcheck shell=bash disable=SC2154

fail() {
  printf 'error: %s\n' "$1" >&2
  exit "${2:-1}"
}

json_string() {
  local s=$1 i c u
  s=${s//$'\\'/$'\\\\'}
  s=${s//'"'/'\"'}
  s=${s//$'\n'/'\n'}
  s=${s//$'\r'/'\r'}
  s=${s//$'\t'/'\t'}
  for ((i = 1; i < 32; i++)); do
    printf -v c '%02x' "$i"
    printf -v c '%b' "\\x$c"
    if [[ $s == *"$c"* ]]; then
      printf -v u '\\u%04x' "$i"
      s=${s//"$c"/"$u"}
    fi
  done
  printf '"%s"' "$s"
}

# JSON_ITEMS gets the members of the JSON array or object $1, each as its JSON text (an
# object gives key, value, key, value, ...). Escaped backslashes and quotes are first set
# aside as control characters, which JSON never holds raw, so that every quote left opens or
# closes a string and only the text between strings is read character by character.
declare -a JSON_ITEMS=()
json_split() {
  local text=$1 item="" run c depth=0 k pattern top='[][{}:,]*' nested='[][{}]*'
  local -a parts
  JSON_ITEMS=()
  text=${text//$'\\\\'/$'\x01'}
  text=${text//'\"'/$'\x02'}
  text=${text#*[\[\{]}
  mapfile -d '"' -t parts <<<"$text"
  for ((k = 0; k < ${#parts[@]}; k++)); do
    run=${parts[k]}
    if ((k % 2)); then
      item+="\"$run\""
      continue
    fi
    while [[ -n $run ]]; do
      # inside a nested value only brackets matter: its commas are skipped in one step
      if ((depth)); then pattern=$nested; else pattern=$top; fi
      # shellcheck disable=SC2295 # a pattern, by design
      c=${run%%$pattern}
      item+=$c
      run=${run:${#c}}
      [[ -n $run ]] || break
      c=${run:0:1}
      run=${run:1}
      case $c in
        '[' | '{')
          depth=$((depth + 1))
          item+=$c
          ;;
        ']' | '}')
          if ((depth == 0)); then
            json_item "$item"
            return 0
          fi
          depth=$((depth - 1))
          item+=$c
          ;;
        *)
          if ((depth == 0)); then
            json_item "$item"
            item=""
          else
            item+=$c
          fi
          ;;
      esac
    done
  done
}

json_item() {
  local item=${1//$'\x01'/$'\\\\'}
  item=${item//$'\x02'/'\"'}
  item=${item#"${item%%[![:space:]]*}"}
  item=${item%"${item##*[![:space:]]}"}
  if [[ -n $item ]]; then JSON_ITEMS+=("$item"); fi
}

# value: the member $1 of the object json_split read last; empty when it has none
member() {
  local i
  value=""
  for ((i = 0; i + 1 < ${#JSON_ITEMS[@]}; i += 2)); do
    if [[ ${JSON_ITEMS[i]} == "\"$1\"" ]]; then
      value=${JSON_ITEMS[i + 1]}
      return 0
    fi
  done
}

# value: the text of the JSON string $1, its escapes decoded
json_text() {
  local text=${1:1:${#1}-2} high low pair LC_ALL=C.UTF-8 # for \uXXXX, which C leaves escaped
  text=${text//$'\\\\'/$'\x01'}
  # a character beyond the BMP comes as a pair of UTF-16 surrogates: printf takes it whole
  while [[ $text =~ \\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2}) ]]; do
    high=$((16#${BASH_REMATCH[1]} - 0xD800))
    low=$((16#${BASH_REMATCH[2]} - 0xDC00))
    printf -v pair '\\U%08X' $((0x10000 + (high << 10) + low))
    text=${text//"${BASH_REMATCH[0]}"/"$pair"}
  done
  text=${text//$'\x01'/$'\\\\'}
  text=${text//%/%%} # a printf format that converts nothing, only escapes
  # shellcheck disable=SC2059
  printf -v value "$text"
}

# value: $1 with every byte but letters, digits and /_.~- percent-encoded
url_quote() {
  local s=$1 out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [a-zA-Z0-9/_.~-]) out+=$c ;;
      *)
        printf -v c '%%%02X' "'$c"
        out+=$c
        ;;
    esac
  done
  value=$out
}

# curl with the token, if any, read from a file descriptor so that it never shows in ps
http() {
  if [[ -n ${HF_TOKEN:-} ]]; then
    local token=${HF_TOKEN//$'\\'/$'\\\\'}
    token=${token//'"'/'\"'}
    curl --config <(printf 'header = "Authorization: Bearer %s"\n' "$token") "$@"
  else
    curl "$@"
  fi
}

http_failed() {
  local hint=""
  if [[ $2 == *"401"* || $2 == *"403"* ]]; then
    hint=" (hint: set HF_TOKEN to a token that can read this app)"
  fi
  fail "$1 failed: ${2:0:500}$hint"
}

# the JSON the app takes for a file at server path or URL $1 named $2 (both JSON strings):
# Gradio 3 has no FileData
file_json() {
  if [[ $protocol == oneshot ]]; then
    printf '{"name": %s, "data": null, "is_file": true, "orig_name": %s}' "$1" "$2"
  elif [[ $1 == '"http'* ]]; then
    printf '{"path": %s, "url": %s, "orig_name": %s, "meta": {"_type": "gradio.FileData"}}' \
      "$1" "$1" "$2"
  else
    printf '{"path": %s, "orig_name": %s, "meta": {"_type": "gradio.FileData"}}' "$1" "$2"
  fi
}

upload() {
  local path=$1 quoted answer
  [[ -f $path ]] || fail "$path is not a file" 2
  quoted=${path//$'\\'/$'\\\\'}
  quoted=${quoted//'"'/'\"'}
  answer=$(http -sS --fail-with-body -F "files=@\"$quoted\"" "$base_url$api_prefix/upload" 2>&1) ||
    http_failed "uploading $path" "$answer"
  [[ $answer =~ ^\[(\"([^\"\\]|\\.)*\")\]$ ]] ||
    fail "unexpected answer to the upload of $path: ${answer:0:200}"
  file_json "${BASH_REMATCH[1]}" "$(json_string "${path##*/}")"
}

file_value() {
  local name
  case $1 in
    @*) upload "${1#@}" ;;
    http://* | https://*)
      name=${1##*/}
      name=${name%%\?*}
      file_json "$(json_string "$1")" "$(json_string "${name:-file}")"
      ;;
    \{*) printf '%s' "$1" ;;
    *) fail "$2 takes a file: give $2=@path, an http(s) URL, or a FileData object as JSON" 2 ;;
  esac
}

# a Gradio 3 image input: the file itself as a base64 data URL (read with the base64 tool)
data_url_value() {
  local path mime encoded
  case $1 in
    @*)
      path=${1#@}
      [[ -f $path ]] || fail "$path is not a file" 2
      case ${path,,} in
        *.png) mime=image/png ;;
        *.jpg | *.jpeg) mime=image/jpeg ;;
        *.gif) mime=image/gif ;;
        *.webp) mime=image/webp ;;
        *.bmp) mime=image/bmp ;;
        *.svg) mime=image/svg+xml ;;
        *) mime=application/octet-stream ;;
      esac
      encoded=$(base64 <"$path") || fail "could not encode $path: sending an image needs base64"
      printf '"data:%s;base64,%s"' "$mime" "${encoded//$'\n'/}"
      ;;
    http://* | https://* | data:*) json_string "$1" ;;
    *) fail "$2 takes an image: give $2=@path, an http(s) URL, or a data: URL" 2 ;;
  esac
}

# one argument's JSON by the kind of its input; numbers and booleans are checked here
to_json() {
  local name=$1 kind=$2 value=$3 index=$4 choice
  case $kind in
    string) json_string "$value" ;;
    choice)
      local -n choices="choices_$index"
      for choice in "${choices[@]}"; do
        if [[ $value == "$choice" ]]; then
          json_string "$value"
          return
        fi
      done
      fail "$name must be one of: ${choices[*]}" 2
      ;;
    integer)
      [[ $value =~ ^-?[0-9]+$ ]] || fail "$name takes an integer, not '$value'" 2
      printf '%s' "$value"
      ;;
    number)
      [[ $value =~ ^-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$ ]] ||
        fail "$name takes a number, not '$value'" 2
      printf '%s' "$value"
      ;;
    boolean)
      [[ $value == true || $value == false ]] || fail "$name takes true or false, not '$value'" 2
      printf '%s' "$value"
      ;;
    file) file_value "$value" "$name" ;;
    data_url) data_url_value "$value" "$name" ;;
    *) printf '%s' "$value" ;; # JSON, given as it is
  esac
}

# value: Gradio 3's file results ({"name", "is_file", ...}) in $1 as FileData with the URL to
# fetch them, as the other clients give them
from_legacy() {
  local json=$1 out="" i name text
  value=$json
  [[ $json == *'"is_file"'* ]] || return 0
  json_split "$json"
  local -a items=("${JSON_ITEMS[@]}")
  if [[ $json == '['* ]]; then
    for i in "${!items[@]}"; do
      from_legacy "${items[i]}"
      out+="${out:+, }$value"
    done
    value="[$out]"
    return 0
  fi
  member name
  name=$value
  member is_file
  if [[ $name == '"'* && -n $value ]]; then
    json_text "$name"
    text=$value
    if [[ $text != http://* && $text != https://* ]]; then
      url_quote "$text"
      text="$base_url/file=$value"
    fi
    out=$(json_string "$text")
    member orig_name
    if [[ -z $value || $value == null ]]; then
      json_text "$name"
      value=$(json_string "${value##*/}")
    fi
    out="{\"path\": $name, \"url\": $out, \"orig_name\": $value"
    member size
    value="$out, \"size\": ${value:-null}, \"meta\": {\"_type\": \"gradio.FileData\"}}"
    return 0
  fi
  for ((i = 0; i + 1 < ${#items[@]}; i += 2)); do
    from_legacy "${items[i + 1]}"
    out+="${out:+, }${items[i]}: $value"
  done
  value="{$out}"
}

# value: $1 with the file URLs Gradio 4 builds from the route that answered (/call/file=...,
# a 404) rebuilt as /file=...
repair_urls() {
  value=$1
  while [[ $value =~ (\"url\":\"[^\"]*)/call/file= ]]; do
    value=${value/"${BASH_REMATCH[0]}"/"${BASH_REMATCH[1]}/file="}
  done
}

# prints the JSON list of outputs $1, without the hidden gr.State slots
print_outputs() {
  local out="" position
  if [[ $protocol == oneshot ]]; then
    from_legacy "$1"
  elif [[ -z $api_prefix ]]; then
    repair_urls "$1"
  else
    value=$1
  fi
  if ((!pick)); then
    printf '%s\n' "$value"
    return 0
  fi
  json_split "$value"
  for position in "${output_positions[@]}"; do
    out+="${out:+, }${JSON_ITEMS[position]:-null}"
  done
  printf '[%s]\n' "$out"
}

# the app's message from the JSON string (or null) of an error
error_message() {
  if [[ $1 != '"'* ]]; then
    printf 'the app raised an error (it does not show its message)'
    return 0
  fi
  json_text "$1"
  if [[ -z $api_prefix ]]; then repr_text "$value"; fi
  printf '%s' "$value"
}

# value: the text of a gr.Error that Gradio 3 and 4 (no /gradio_api prefix) show as its Python
# repr ('boom', "it's", 'a\'b'); other text stays as it is
repr_text() {
  local text=$1 LC_ALL=C.UTF-8
  value=$text
  [[ ${#text} -ge 2 && ($text == \'*\' || $text == \"*\") ]] || return 0
  text=${text:1:${#text}-2}
  text=${text//$'\\\\'/$'\x01'}
  text=${text//"\'"/"'"}
  text=${text//'\"'/'"'}
  text=${text//$'\x01'/$'\\\\'}
  printf -v value '%b' "$text"
}

new_session() {
  printf -v session '%04x%04x%04x' "$RANDOM" "$RANDOM" "$RANDOM"
}

# Gradio 4 and later: post the inputs under a new session, then read that session's stream
call_queue() {
  local url="$base_url$api_prefix/call/$api_path" answer line msg success last_line=""
  answer=$(printf '{"data": [%s], "session_hash": "%s"}' "$1" "$session" |
    http -sS --fail-with-body -H 'Content-Type: application/json' --data-binary @- "$url" 2>&1) ||
    http_failed "POST $url" "$answer"
  [[ $answer =~ \"event_id\":\ *\"([^\"]+)\" ]] || fail "no event id in the answer: ${answer:0:200}"
  while IFS= read -r line; do
    line=${line%$'\r'}
    if [[ $line != "data: "* ]]; then
      if [[ -n $line ]]; then last_line=$line; fi
      continue
    fi
    json_split "${line#data: }"
    member msg
    msg=$value
    case $msg in
      '"process_generating"' | '"process_completed"')
        member success
        success=$value
        member output
        json_split "$value"
        if [[ $success != true ]]; then
          member error
          fail "$(error_message "$value")"
        fi
        member data
        if [[ $msg == '"process_completed"' ]]; then
          print_outputs "$value"
          return 0
        fi
        if ((stream)); then print_outputs "$value"; fi
        ;;
      '"unexpected_error"')
        member message
        fail "$(error_message "$value")"
        ;;
      '"close_stream"') break ;;
    esac
  done < <(http -sS -N --fail-with-body "$base_url$api_prefix/queue/data?session_hash=$session" 2>&1)
  fail "the event stream ended without a result${last_line:+: ${last_line:0:200}}"
}

# Gradio 3: each POST answers; a generator gives one step per POST until is_generating is false
call_oneshot() {
  local url="$base_url$api_prefix/run/$api_path" answer code data last=""
  while :; do
    answer=$(printf '{"data": [%s], "fn_index": %s, "session_hash": "%s"}' "$1" "$fn_index" "$session" |
      http -sS -w '\n%{http_code}' -H 'Content-Type: application/json' --data-binary @- "$url" 2>&1) ||
      http_failed "POST $url" "$answer"
    code=${answer##*$'\n'}
    answer=${answer%$'\n'*}
    json_split "$answer"
    if [[ $code == 500 ]]; then
      member error
      if [[ -n $value ]]; then fail "$(error_message "$value")"; fi
    fi
    [[ $code == 200 ]] || http_failed "POST $url" "HTTP $code: $answer"
    member data
    data=$value
    member is_generating
    if [[ $value != true ]]; then break; fi
    last=$data
    if ((stream)); then print_outputs "$data"; fi
  done
  print_outputs "${last:-$data}"
}

# the script's run: read the name=value arguments, then make the call
gradio_call() {
  stream=0
  values=()
  for arg in "$@"; do
    case $arg in
      -h | --help)
        usage
        exit 0
        ;;
      --stream) stream=1 ;;
      *=*)
        key=${arg%%=*}
        found=""
        for i in "${!input_names[@]}"; do
          if [[ ${input_names[i]} == "$key" ]]; then found=$i; fi
        done
        [[ -n $found ]] || fail "unknown input '$key' (run with --help for the inputs)" 2
        if [[ ${input_kinds[found]} == files ]]; then # repeated, one file each time
          value=$(file_value "${arg#*=}" "$key")
          values[found]="${values[found]:+${values[found]}, }$value"
        else
          values[found]=$(to_json "$key" "${input_kinds[found]}" "${arg#*=}" "$found")
        fi
        ;;
      *) fail "expected name=value, not '$arg' (run with --help for the inputs)" 2 ;;
    esac
  done

  body=""
  i=0
  for ((slot = 0; slot < ${#input_names[@]} + ${#state_positions[@]}; slot++)); do
    if [[ " ${state_positions[*]} " == *" $slot "* ]]; then
      body+="${body:+, }null"
      continue
    fi
    if [[ ${input_kinds[i]} == files && -n ${values[i]:-} ]]; then
      value="[${values[i]}]"
    elif [[ -n ${values[i]+set} ]]; then
      value=${values[i]}
    elif [[ -n ${input_defaults[i]} ]]; then
      value=${input_defaults[i]}
    else
      fail "missing required input '${input_names[i]}' (run with --help for the inputs)" 2
    fi
    body+="${body:+, }$value"
    i=$((i + 1))
  done
  [[ -n $base_url ]] || fail "no app URL: set GRADIO_URL" 2

  new_session
  if [[ $protocol == oneshot ]]; then
    call_oneshot "$body"
  else
    call_queue "$body"
  fi
}
