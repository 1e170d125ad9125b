#!/usr/bin/env bash
# The calls the curl scripts beside this file make: upload files, post, read the result.
# Copied verbatim by gradio-codegen; each script sets the variables below and runs
# gradio_call "$@". Needs bash 4.4+ and curl (and base64 to send a Gradio 3 image).
#
# A script sets: default_url, api_prefix, api_path, protocol, fn_index, input_names,
# input_kinds, input_defaults, state_positions, choices_<i>, pick, output_positions, and a
# usage function.
#
# A call starts one curl process (two for Gradio 3, one more per file to upload and one to log
# in): the POST and the read of its session's stream go in one curl run, one connection.
# Functions give their result in the global `value`, so that no subshell runs on the way.
# A command substitution that runs curl says `exec`: bash forks no extra shell for it then.
# Exit codes: 0 done, 1 the app or the call failed, 2 wrong arguments, 3 the server answered
# what Gradio never sends (or a line over $GRADIO_MAX_MESSAGE_BYTES), 4 the call's deadline
# (--timeout, $GRADIO_TIMEOUT, default 300 s) passed, 75 the app's queue is full. Nothing the
# server sent reaches the terminal raw: control characters in what is printed are escaped.
# shellcheck shell=bash disable=SC2154

# the control characters a terminal acts on (C0 but tab, DEL, and C1 as UTF-8), and how
# `printable` writes each
declare -a CONTROLS=() CONTROL_ESCAPES=()
for ((i = 1; i < 160; i++)); do
  if ((i == 9 || (i > 31 && i < 127))); then continue; fi
  printf -v c '%02x' "$i"
  if ((i < 128)); then printf -v c '%b' "\\x$c"; else printf -v c '%b' "\\xc2\\x$c"; fi
  CONTROLS+=("$c")
  printf -v c '\\u%04x' "$i"
  CONTROL_ESCAPES+=("$c")
done
unset i c

# value: $1 with every control character written as an escape (\n, \r, \uXXXX)
printable() {
  local s=$1 i LC_ALL=C
  if [[ $s == *[$'\x01'-$'\x08'$'\x0a'-$'\x1f'$'\x7f']* || $s == *$'\xc2'[$'\x80'-$'\x9f']* ]]; then
    s=${s//$'\n'/'\n'}
    s=${s//$'\r'/'\r'}
    for i in "${!CONTROLS[@]}"; do
      if [[ $s == *"${CONTROLS[i]}"* ]]; then s=${s//"${CONTROLS[i]}"/"${CONTROL_ESCAPES[i]}"}; fi
    done
  fi
  value=$s
}

# the curl run reading the call's stream, stopped when the script ends early
stream_pid=""

fail() {
  printable "$1"
  printf 'error: %s\n' "$value" >&2
  if [[ -n $stream_pid ]]; then kill "$stream_pid" 2>/dev/null || true; fi
  exit "${2:-1}"
}

# the call's deadline: --timeout or $GRADIO_TIMEOUT seconds (default 300) from the start, in
# microseconds where bash has $EPOCHREALTIME (5.0+), else in whole seconds
timeout_given=${GRADIO_TIMEOUT:-300}
deadline=""
now_us() {
  if [[ -n ${EPOCHREALTIME:-} ]]; then
    value=${EPOCHREALTIME/[.,]/}
  else
    value=$((SECONDS * 1000000))
  fi
}
start_deadline() {
  local whole frac
  [[ $timeout_given =~ ^([0-9]+)(\.([0-9]{1,6}))?$ ]] || fail "--timeout takes seconds, not '$timeout_given'" 2
  whole=${BASH_REMATCH[1]}
  frac=${BASH_REMATCH[3]}000000
  now_us
  deadline=$((value + 10#$whole * 1000000 + 10#${frac:0:6}))
}
# value: the seconds left before the deadline, as curl's --max-time takes them; past it,
# the call ends (exit 4)
time_left() {
  local left
  if [[ -z $deadline ]]; then
    value=0 # no deadline: curl's --max-time 0 waits forever
    return 0
  fi
  now_us
  left=$((deadline - value))
  ((left > 0)) || fail "the call did not finish within its timeout (${timeout_given} s)" 4
  printf -v value '%d.%06d' $((left / 1000000)) $((left % 1000000))
}

# value: $1 as a JSON string
json_string() {
  local s=$1 i c u
  s=${s//$'\\'/$'\\\\'}
  s=${s//'"'/'\"'}
  s=${s//$'\n'/'\n'}
  s=${s//$'\r'/'\r'}
  s=${s//$'\t'/'\t'}
  if [[ $s == *[$'\x01'-$'\x1f']* ]]; then
    for ((i = 1; i < 32; i++)); do
      printf -v c '%02x' "$i"
      printf -v c '%b' "\\x$c"
      if [[ $s == *"$c"* ]]; then
        printf -v u '\\u%04x' "$i"
        s=${s//"$c"/"$u"}
      fi
    done
  fi
  value="\"$s\""
}

# JSON_ITEMS gets the members of the JSON array or object $1, each as its JSON text (an
# object gives key, value, key, value, ...). Escaped backslashes and quotes are first set
# aside as control characters, which JSON never holds raw, so that every quote left opens or
# closes a string; the text between strings is cut into tokens (each bracket, colon and comma
# on a line of its own) by global replacements, so the work grows with the text's length,
# whatever its nesting. Nesting deeper than JSON_MAX_DEPTH ends the call (exit 3).
# Keys after $1 (of an object): stop once each of them has its value, leaving the rest unread.
declare -a JSON_ITEMS=()
JSON_MAX_DEPTH=1000
json_split() {
  local text=$1 run tok depth=0 k k2=0 IFS=
  local -a parts members=() wanted=("${@:2}")
  JSON_ITEMS=()
  text=${text//$'\\\\'/$'\x01'}
  text=${text//'\"'/$'\x02'}
  text=${text#*[\[\{]}
  mapfile -d '"' -t parts <<<"$text"
  for ((k = 0; k < ${#parts[@]}; k++)); do
    run=${parts[k]}
    if ((k % 2)); then
      members+=("\"$run\"")
      continue
    fi
    if [[ $run != *[][{}:,]* ]]; then
      members+=("$run")
      continue
    fi
    json_tokens "$run"
    for tok in "${JSON_TOKENS[@]}"; do
      if ((++k2 % 8192 == 0)); then time_left; fi
      case $tok in
        '[' | '{')
          depth=$((depth + 1))
          ((depth <= JSON_MAX_DEPTH)) || fail "the server sent JSON nested deeper than $JSON_MAX_DEPTH levels" 3
          members+=("$tok")
          ;;
        ']' | '}')
          if ((depth == 0)); then
            json_item "${members[*]}"
            return 0
          fi
          depth=$((depth - 1))
          members+=("$tok")
          ;;
        ',' | ':')
          if ((depth == 0)); then
            json_item "${members[*]}"
            members=()
            if ((${#wanted[@]})) && json_found; then return 0; fi
          else
            members+=("$tok")
          fi
          ;;
        *) members+=("$tok") ;;
      esac
    done
  done
}

# JSON_TOKENS gets the text $1 (outside strings) cut at each of [ ] { } : , which become
# tokens of their own, the text between them kept as it is. mapfile splits at one character
# in one linear read (bash's ${text//x/y} is quadratic), so one pass per character; commas
# come last, as the most numerous.
declare -a JSON_TOKENS=()
json_tokens() {
  local d t i
  local -a next parts
  JSON_TOKENS=("$1")
  for d in '[' ']' '{' '}' ':' ','; do
    next=()
    for t in "${JSON_TOKENS[@]}"; do
      if [[ ${#t} == 1 || $t != *"$d"* ]]; then
        next+=("$t")
        continue
      fi
      mapfile -d "$d" -t parts <<<"$t"
      parts[-1]=${parts[-1]%$'\n'} # the here-string's own line end
      for ((i = 0; i < ${#parts[@]}; i++)); do
        if ((i)); then next+=("$d"); fi
        if ((i % 8192 == 8191)); then time_left; fi
        if [[ -n ${parts[i]} ]]; then next+=("${parts[i]}"); fi
      done
    done
    JSON_TOKENS=("${next[@]}")
    time_left # a long text takes bash long: the deadline holds all the same
  done
}

# whether the member json_split read last completes the keys it waits for (its `wanted`)
json_found() {
  local n=${#JSON_ITEMS[@]} i
  ((n % 2 == 0)) || return 1
  for i in "${!wanted[@]}"; do
    if [[ ${JSON_ITEMS[n - 2]} == "\"${wanted[i]}\"" ]]; then unset 'wanted[i]'; fi
  done
  ((${#wanted[@]} == 0))
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

# value: $1 as a double-quoted string of a curl config file
config_string() {
  local s=${1//$'\\'/$'\\\\'}
  s=${s//'"'/'\"'}
  s=${s//$'\r'/}
  value="\"${s//$'\n'/}\""
}

# value: "host:port" of the URL $1, the host in lower case, the port empty where it is the
# scheme's default: the authority httpx and the WHATWG URL compare
url_authority() {
  local scheme=${1%%://*} rest=${1#*://} host port
  rest=${rest%%[/?#]*}
  rest=${rest##*@}
  if [[ $rest == \[* ]]; then host=${rest%%]*}]; else host=${rest%%:*}; fi
  port=${rest#"$host"}
  port=${port#:}
  [[ $port =~ ^[0-9]+$ ]] && port=$((10#$port))
  scheme=${scheme,,}
  if [[ $scheme == http && $port == 80 || $scheme == https && $port == 443 ]]; then port=""; fi
  value="${host,,}:$port"
}

# whether the app at $1 is on Hugging Face (a Space, the Hub or $HF_ENDPOINT's host and
# port), where HF_TOKEN may go without --send-token
hf_host() {
  local app
  url_authority "$1"
  app=$value
  case ${app%:*} in
    *.hf.space | huggingface.co) return 0 ;;
  esac
  [[ -n ${HF_ENDPOINT:-} ]] || return 1
  url_authority "$HF_ENDPOINT"
  [[ $app == "$value" ]]
}

# value: HF_TOKEN, else the token `hf auth login` saved, as huggingface_hub finds it
# (HF_TOKEN_PATH, else $HF_HOME/token, HF_HOME defaulting to $XDG_CACHE_HOME/huggingface, then
# ~/.cache/huggingface); "" when there is none
ambient_token() {
  local home=${HF_HOME:-${XDG_CACHE_HOME:-${HOME:-}/.cache}/huggingface} file line=""
  value=${HF_TOKEN:-}
  [[ -z $value ]] || return 0
  file=${HF_TOKEN_PATH:-$home/token}
  case $file in \~/*) file=${HOME:-}/${file:2} ;; esac
  if [[ -f $file && -r $file ]]; then IFS= read -r line <"$file" || true; fi
  line=${line%$'\r'}
  value=${line//[[:space:]]/}
}

# secrets: the curl config lines that every request to the app carries, read by curl from a
# file descriptor (-K /dev/fd/3) so that no token or cookie ever shows in ps. The token goes
# as x-hf-authorization, which Hugging Face's proxy reads and strips: the app never sees it.
# Made on the first request, so that arguments are checked before any login.
secrets="" secrets_ready=0
prepare_secrets() {
  local token=""
  ((!secrets_ready)) || return 0
  secrets_ready=1
  [[ -n $base_url ]] || fail "no app URL: set GRADIO_URL" 2
  if [[ -n $token_file ]]; then
    [[ -r $token_file ]] || fail "cannot read the token file $token_file" 2
    IFS= read -r token <"$token_file" || [[ -n $token ]] || fail "the token file $token_file is empty" 2
  else
    ambient_token
    token=$value # hf_host sets value too
    if [[ -n $token ]] && ! { ((send_token)) || hf_host "$base_url"; }; then token=""; fi
  fi
  if [[ -n $token ]]; then
    config_string "x-hf-authorization: Bearer $token"
    secrets+="header = $value"$'\n'
  fi
  if [[ -n ${GRADIO_AUTH:-} ]]; then login; fi
}

# GRADIO_AUTH=user:password: log in to an app launched with auth=, keep its session cookies
login() {
  local user=${GRADIO_AUTH%%:*} password=${GRADIO_AUTH#*:} form answer line cookies=""
  [[ $GRADIO_AUTH == *:* ]] || fail "GRADIO_AUTH must be user:password" 2
  config_string "username=$user"
  form="data-urlencode = $value"$'\n'
  config_string "password=$password"
  form+="data-urlencode = $value"$'\n'
  time_left
  answer=$(exec curl -sS -D - --max-time "$value" -K /dev/fd/3 -K /dev/fd/4 "$base_url/login" 2>&1 \
    3<<<"$secrets" 4<<<"$form") || { time_left && fail "logging in to $base_url failed: ${answer:0:300}"; }
  while IFS= read -r line; do
    line=${line%$'\r'}
    if [[ $line =~ ^[Ss]et-[Cc]ookie:\ *([^\;]+) ]]; then
      cookies+="${cookies:+; }${BASH_REMATCH[1]}"
    fi
  done <<<"$answer"
  if [[ $answer == HTTP/*\ 30[0-9]* ]]; then
    fail "$base_url has no login: unset GRADIO_AUTH" 2
  fi
  if [[ $answer != HTTP/*\ 200* || -z $cookies ]]; then
    fail "logging in to $base_url as $user failed: ${answer##*$'\r\n\r\n'}"
  fi
  config_string "$cookies"
  secrets+="cookie = $value"$'\n'
}

http_failed() {
  local hint=""
  if [[ $2 == *'Queue is full'* ]]; then # 503 from an app with queue(max_size=...): 75 is EX_TEMPFAIL
    fail "$1 failed: the app's queue is full (HTTP 503); try again later" 75
  fi
  if [[ $2 == *'Not authenticated'* ]]; then
    fail "$1 failed: this app needs a login: set GRADIO_AUTH=user:password"
  fi
  if [[ $2 == *"401"* || $2 == *"403"* ]]; then
    hint=" (hint: set HF_TOKEN to a token that can read this app)"
  fi
  fail "$1 failed: ${2:0:500}$hint"
}

# value: the JSON the app takes for a file at server path or URL $1 named $2 (both JSON
# strings): Gradio 3 has no FileData
file_json() {
  if [[ $protocol == oneshot ]]; then
    value="{\"name\": $1, \"data\": null, \"is_file\": true, \"orig_name\": $2}"
  elif [[ $1 == '"http'* ]]; then
    value="{\"path\": $1, \"url\": $1, \"orig_name\": $2, \"meta\": {\"_type\": \"gradio.FileData\"}}"
  else
    value="{\"path\": $1, \"orig_name\": $2, \"meta\": {\"_type\": \"gradio.FileData\"}}"
  fi
}

upload() {
  local path=$1 quoted answer
  [[ -f $path ]] || fail "$path is not a file" 2
  prepare_secrets
  quoted=${path//$'\\'/$'\\\\'}
  quoted=${quoted//'"'/'\"'}
  time_left
  answer=$(exec curl -sS --fail-with-body --max-time "$value" -K /dev/fd/3 -F "files=@\"$quoted\"" \
    "$base_url$api_prefix/upload" 2>&1 3<<<"$secrets") ||
    { time_left && http_failed "uploading $path" "$answer"; }
  [[ $answer =~ ^\[(\"([^\"\\]|\\.)*\")\]$ ]] ||
    fail "the upload of $path answered what is not a list of one path: ${answer:0:200}" 3
  quoted=${BASH_REMATCH[1]}
  json_string "${path##*/}"
  file_json "$quoted" "$value"
}

# value: the JSON of file argument $1 of input $2
file_value() {
  local name url
  case $1 in
    @*) upload "${1#@}" ;;
    http://* | https://*)
      name=${1##*/}
      name=${name%%\?*}
      json_string "$1"
      url=$value
      json_string "${name:-file}"
      file_json "$url" "$value"
      ;;
    \{*) value=$1 ;;
    *) fail "$2 takes a file: give $2=@path, an http(s) URL, or a FileData object as JSON" 2 ;;
  esac
}

# value: a Gradio 3 image input, the file itself as a base64 data URL (read with the base64 tool)
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
      encoded=$(exec base64 <"$path") || fail "could not encode $path: sending an image needs base64"
      value="\"data:$mime;base64,${encoded//$'\n'/}\""
      ;;
    http://* | https://* | data:*) json_string "$1" ;;
    *) fail "$2 takes an image: give $2=@path, an http(s) URL, or a data: URL" 2 ;;
  esac
}

# value: one argument's JSON by the kind of its input; numbers and booleans are checked here
to_json() {
  local name=$1 kind=$2 text=$3 index=$4 choice
  case $kind in
    string) json_string "$text" ;;
    choice)
      local -n choices="choices_$index"
      for choice in "${choices[@]}"; do
        if [[ $text == "$choice" ]]; then
          json_string "$text"
          return
        fi
      done
      fail "$name must be one of: ${choices[*]}" 2
      ;;
    integer)
      [[ $text =~ ^-?[0-9]+$ ]] || fail "$name takes an integer, not '$text'" 2
      value=$text
      ;;
    number)
      [[ $text =~ ^-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$ ]] ||
        fail "$name takes a number, not '$text'" 2
      value=$text
      ;;
    boolean)
      [[ $text == true || $text == false ]] || fail "$name takes true or false, not '$text'" 2
      value=$text
      ;;
    file) file_value "$text" "$name" ;;
    data_url) data_url_value "$text" "$name" ;;
    *) value=$text ;; # JSON, given as it is
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
    json_string "$text"
    out=$value
    member orig_name
    if [[ -z $value || $value == null ]]; then
      json_text "$name"
      json_string "${value##*/}"
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
  if ((pick)); then
    json_split "$value"
    for position in "${output_positions[@]}"; do
      out+="${out:+, }${JSON_ITEMS[position]:-null}"
    done
    value="[$out]"
  fi
  printable "$value" # control characters are escapes in JSON too: the value stays the same
  printf '%s\n' "$value"
}

# value: the app's message from the JSON string (or null) of an error, after its title
# (a JSON string or null) where Gradio sends one other than its default, "Error"
error_message() {
  local title=""
  if [[ ${2:-} == '"'?*'"' && $2 != '"Error"' ]]; then
    json_text "$2"
    title="$value: "
  fi
  if [[ $1 != '"'* ]]; then
    value="${title}the app raised an error (it does not show its message)"
    return 0
  fi
  json_text "$1"
  if [[ -z $api_prefix ]]; then repr_text "$value"; fi
  value=$title$value
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


# the app's gr.Info, gr.Warning and gr.Success, from the log message json_split read last:
# one line on stderr each, after its level (and title, where the version sends one)
print_log() {
  local level text title=""
  member level
  json_text "${value:-\"info\"}"
  level=$value
  member title
  if [[ $value == '"'?*'"' ]]; then
    json_text "$value"
    title="$value: "
  fi
  member log
  json_text "${value:-\"\"}"
  printable "$level: $title$value"
  printf '%s\n' "$value" >&2
}

# the app's verdicts on the inputs from the detail of a 422 (Gradio 5.49+, validator=): one
# line per input that failed; value: how many
print_invalid() {
  local -a verdicts
  local verdict name count=0
  json_split "${1#curl: *$'\n'}"
  member detail
  if [[ $value != '['* ]]; then
    value=0
    return 0
  fi
  json_split "$value"
  verdicts=("${JSON_ITEMS[@]}")
  for verdict in "${verdicts[@]}"; do
    json_split "$verdict"
    member is_valid
    [[ $value == false ]] || continue
    member parameter_name
    json_text "${value:-\"\"}"
    name=$value
    member message
    json_text "${value:-\"\"}"
    printable "error: invalid $name: $value"
    printf '%s\n' "$value" >&2
    count=$((count + 1))
  done
  value=$count
}

new_session() {
  printf -v session '%04x%04x%04x' "$RANDOM" "$RANDOM" "$RANDOM"
}

# the line curl writes after the POST's answer, with its HTTP status
posted='@gradio-codegen: posted '

# Gradio 4 and later: post the inputs under a new session, then read that session's stream,
# in one curl run (the stream needs only the session, not the event id)
# one line of what call_queue's curl run prints: first the POST's answer and its status, then
# the stream's lines. Sets `outcome` to "done" once the result is printed, "closed" when the
# stream says it ends.
queue_line() {
  local line=$1 payload
  if [[ -z $code || $code != 200 ]]; then # the POST's answer, then its status; or a failure
    if [[ $line == "$posted"* ]]; then
      code=${line#"$posted"}
    else
      answer+=${answer:+$'\n'}$line
    fi
    return 0
  fi
  if [[ $line != "data:"* ]]; then
    if [[ -n $line ]]; then last=$line; fi
    return 0
  fi
  payload=${line#data:}
  payload=${payload# }
  [[ $payload == '{'*'}' ]] || fail "the event stream sent what is not a JSON object: ${payload:0:200}" 3
  # the message's kind, read without splitting the line where Gradio puts it first
  if [[ $payload =~ ^\{\"msg\":\ ?\"([a-z_]+)\" ]]; then
    msg=${BASH_REMATCH[1]}
  else
    json_split "$payload" msg
    member msg
    msg=${value//'"'/}
  fi
  case $msg in
    estimation | process_starts | heartbeat | progress) ;;
    process_generating | process_completed)
      # a result reads the line only as far as its output and success, and the output only
      # as far as its data; an error reads all of both, for its title
      json_split "$payload" output success
      member success
      if [[ $value != true ]]; then
        json_split "$payload"
        member title
        title=$value
        member output
        json_split "$value"
        member title
        if [[ -n $value ]]; then title=$value; fi
        member error
        error_message "$value" "$title"
        fail "$value"
      fi
      member output
      json_split "$value" data
      member data
      if [[ $msg == process_completed ]]; then
        print_outputs "$value"
        outcome="done"
      elif ((stream)); then
        print_outputs "$value"
      fi
      ;;
    log)
      json_split "$payload"
      print_log
      ;;
    unexpected_error)
      json_split "$payload"
      member message
      error_message "$value"
      fail "$value"
      ;;
    close_stream) outcome=closed ;;
  esac
}

# Gradio 4 and later: post the inputs under a new session, then read that session's stream,
# in one curl run (the stream needs only the session, not the event id). A line ends at
# "\n", "\r\n" or a lone "\r", as event streams say; each read waits only until the deadline.
call_queue() {
  local url="$base_url$api_prefix/call/$api_path" line piece msg title code="" answer="" last=""
  local stream_url="$base_url$api_prefix/queue/data?session_hash=$session" outcome="" max_time
  local -a pieces
  time_left
  max_time=$value
  while stream_pid=$! && time_left && IFS= read -r -t "$value" -n "$((max_message + 1))" line; do
    if ((${#line} > max_message)); then
      fail "the server sent an event-stream line over $max_message bytes (GRADIO_MAX_MESSAGE_BYTES)" 3
    fi
    line=${line%$'\r'}
    pieces=("$line")
    if [[ $line == *$'\r'* ]]; then
      mapfile -d $'\r' -t pieces <<<"$line"
      pieces[-1]=${pieces[-1]%$'\n'} # the here-string's own line end
    fi
    for piece in "${pieces[@]}"; do
      queue_line "$piece"
      [[ -z $outcome ]] || break 2
    done
  done < <(curl -sS --fail-early -K /dev/fd/3 --fail-with-body -H 'Content-Type: application/json' \
    -H 'x-gradio-user: api' --max-time "$max_time" \
    --data-binary @- -w "\n$posted%{http_code}\n" "$url" \
    --next -K /dev/fd/4 -N --fail-with-body --max-time "$max_time" "$stream_url" \
    2>&1 3<<<"$secrets" 4<<<"$secrets" <<<"{\"data\": [$1], \"session_hash\": \"$session\"}")
  if [[ -n $stream_pid ]]; then kill "$stream_pid" 2>/dev/null || true; fi
  stream_pid=""
  if [[ $outcome == "done" ]]; then return 0; fi
  time_left # a stream cut by the deadline ends the call with exit 4
  if [[ $code == 422 ]]; then
    print_invalid "$answer"
    if ((value)); then fail "the app rejected $value of the inputs (HTTP 422)"; fi
    fail "the app rejected the inputs: ${answer:0:500}"
  fi
  if [[ $code != 200 ]]; then
    answer=${answer%"${answer##*[!$'\n']}"}
    if [[ $code == 000 ]]; then code=""; fi # no answer at all: curl's own line says why
    http_failed "POST $url" "${code:+HTTP $code: }$answer"
  fi
  fail "the event stream ended without a result${last:+: ${last:0:200}}"
}

# Gradio 3: each POST answers; a generator gives one step per POST until is_generating is false
call_oneshot() {
  local url="$base_url$api_prefix/run/$api_path" answer code data last=""
  local body="{\"data\": [$1], \"fn_index\": $fn_index, \"session_hash\": \"$session\"}"
  while :; do
    time_left
    answer=$(exec curl -sS --max-time "$value" -K /dev/fd/3 -w '\n%{http_code}' \
      -H 'Content-Type: application/json' -H 'x-gradio-user: api' --data-binary @- "$url" \
      2>&1 3<<<"$secrets" <<<"$body") || { time_left && http_failed "POST $url" "$answer"; }
    code=${answer##*$'\n'}
    answer=${answer%$'\n'*}
    json_split "$answer"
    if [[ $code == 500 ]]; then
      member error
      if [[ -n $value ]]; then
        error_message "$value"
        fail "$value"
      fi
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

# the script's run: read the options, then the name=value arguments (files are uploaded
# then, with the token the options chose), then make the call
gradio_call() {
  local arg key found i slot body="" upload_path=""
  local -a values=() pairs=()
  stream=0 send_token=0 token_file=""
  max_message=${GRADIO_MAX_MESSAGE_BYTES:-67108864}
  [[ $max_message =~ ^[1-9][0-9]*$ ]] || fail "GRADIO_MAX_MESSAGE_BYTES takes a number of bytes" 2
  while (($#)); do
    arg=$1
    shift
    case $arg in
      -h | --help)
        usage
        exit 0
        ;;
      --stream) stream=1 ;;
      --send-token) send_token=1 ;;
      --upload)
        (($#)) || fail "--upload needs a path" 2
        upload_path=$1
        shift
        ;;
      --timeout=*) timeout_given=${arg#*=} ;;
      --timeout)
        (($#)) || fail "--timeout needs seconds" 2
        timeout_given=$1
        shift
        ;;
      --token-file=*) token_file=${arg#*=} ;;
      --token-file)
        (($#)) || fail "--token-file needs a path" 2
        token_file=$1
        shift
        ;;
      *=*) pairs+=("$arg") ;;
      *) fail "expected name=value, not '$arg' (run with --help for the inputs)" 2 ;;
    esac
  done
  start_deadline # from here on: uploads, the login and the call
  if [[ -n $upload_path ]]; then # a file for inside a JSON input: its FileData, and done
    upload "$upload_path"
    printf '%s\n' "$value"
    exit 0
  fi
  for arg in "${pairs[@]}"; do
    key=${arg%%=*}
    found=""
    for i in "${!input_names[@]}"; do
      if [[ ${input_names[i]} == "$key" ]]; then found=$i; fi
    done
    [[ -n $found ]] || fail "unknown input '$key' (run with --help for the inputs)" 2
    if [[ ${input_kinds[found]} == files ]]; then # repeated, one file each time
      file_value "${arg#*=}" "$key"
      values[found]="${values[found]:+${values[found]}, }$value"
    else
      to_json "$key" "${input_kinds[found]}" "${arg#*=}" "$found"
      values[found]=$value
    fi
  done

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

  prepare_secrets
  new_session
  if [[ $protocol == oneshot ]]; then
    call_oneshot "$body"
  else
    call_queue "$body"
  fi
}
