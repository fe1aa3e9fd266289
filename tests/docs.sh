#!/bin/sh
# docs.sh - drives the shell completions of llmstat for tests/test_docs.c.
#
#   tests/docs.sh bash ROOT WORD...      the words of a command line, the last
#                                       one being completed ("" for a new one)
#   tests/docs.sh zsh  ROOT 'LINE'...    each LINE typed at a zsh prompt, then
#                                       TAB; each one's candidates end with a
#                                       line "<<>>"; then "registered: F"
#   tests/docs.sh fish ROOT 'LINE'       what fish completes after LINE
#
# Each prints the candidates, one a line, and exits 0; 77 when the shell is
# not installed, 2 when completing failed.  ROOT is the project root.
set -u
shell=${1:-}
root=${2:-.}
[ $# -ge 2 ] && shift 2

case $shell in
bash)
	command -v bash >/dev/null 2>&1 || exit 77
	exec bash -c '
		if [ -r /usr/share/bash-completion/bash_completion ]; then
			. /usr/share/bash-completion/bash_completion
		fi
		. "$0/completions/llmstat.bash" || exit 2
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_llmstat
		[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"' "$root" "$@"
	;;
fish)
	command -v fish >/dev/null 2>&1 || exit 77
	exec fish --no-config -c 'source $argv[1]/completions/llmstat.fish; or exit 2
		complete -C"$argv[2]" | string replace -r "\t.*" ""' "$root" "$1"
	;;
zsh)
	command -v zsh >/dev/null 2>&1 || exit 77
	# A zsh in a pseudo-terminal (zsh/zpty) runs compinit with completions/
	# first in $fpath (and, for speed, only the base directories of the
	# completion system after it), then gets each LINE and a TAB.  A compadd
	# wrapper writes every match that the completion adds to a file; the
	# matches of each LINE are printed, followed by a line "<<>>".  Last,
	# the file is sourced, and "registered: F" tells the function F that
	# it registered for llmstat.
	exec zsh -f -c '
		zmodload zsh/zpty || exit 77
		root=${1:A}
		shift
		tmp=$(mktemp -d) || exit 2
		cat > $tmp/setup.zsh <<EOF
PS1="" RPS1="" PROMPT_EOL_MARK="" LISTMAX=0
fpath=($root/completions \${(M)fpath:#*/Completion(|/Base|/Unix|/Zsh)})
autoload -Uz compinit
compinit -u -D
zstyle ":completion:*" list-prompt ""
zstyle ":completion:*" completer _complete
compadd() {
	local -a got
	if (( \${@[(I)-[OAD]]} )); then
		builtin compadd "\$@"
		return
	fi
	builtin compadd -O got "\$@"
	(( \$#got )) && print -rl -- \$got >> $tmp/out
	builtin compadd "\$@"
}
done-marker() { print -r -- "<<end>>" >> $tmp/out }
done-complete() {
	comppostfuncs=(done-marker)
	_main_complete
}
zle -C done-complete complete-word done-complete
bindkey "^I" done-complete
EOF
		zpty llmstat_t zsh -f -i || exit 2
		zpty -w llmstat_t "source $tmp/setup.zsh; print -r -- SETUP\"\"OK"
		zpty -r -m llmstat_t junk "*SETUPOK*" || exit 2
		rc=0
		for line in "$@"; do
			rm -f $tmp/out
			zpty -w -n llmstat_t "$line"$'"'"'\t'"'"'
			for i in {1..200}; do
				[[ -f $tmp/out ]] && grep -q "^<<end>>\$" $tmp/out && break
				zpty -r -t llmstat_t junk 2>/dev/null
				sleep 0.02
			done
			if [[ -f $tmp/out ]] && grep -q "^<<end>>\$" $tmp/out; then
				grep -v "^<<end>>\$" $tmp/out | sort -u
			else
				rc=2
			fi
			print -r -- "<<>>"
			# Ctrl-U: kill the line, for the next one
			zpty -w -n llmstat_t $'"'"'\025'"'"'
		done
		# then sourced (after compinit), the file registers itself
		zpty -w llmstat_t "unset \"_comps[llmstat]\"; source $root/completions/_llmstat; print -r -- \"RE\"\"G=\${_comps[llmstat]}=\""
		zpty -r -m llmstat_t junk "*REG=*=*" || rc=2
		junk=${junk##*REG=}
		print -r -- "registered: ${junk%%=*}"
		zpty -d llmstat_t
		rm -rf $tmp
		exit $rc' zsh "$root" "$@"
	;;
*)
	echo "usage: $0 bash|zsh|fish ROOT WORDS..." >&2
	exit 2
	;;
esac
