#!/bin/sh
# docs.sh - drives the shell completions of llmstat for tests/test_docs.c.
#
#   tests/docs.sh bash ROOT WORD...      the words of a command line, the last
#                                       one being completed ("" for a new one)
#   tests/docs.sh zsh  ROOT 'LINE'       LINE typed at a zsh prompt, then TAB
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
		_llmstat || exit 2
		[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"' "$root" "$@"
	;;
fish)
	command -v fish >/dev/null 2>&1 || exit 77
	exec fish --no-config -c 'source $argv[1]/completions/llmstat.fish; or exit 2
		complete -C"$argv[2]" | string replace -r "\t.*" ""' "$root" "$1"
	;;
zsh)
	command -v zsh >/dev/null 2>&1 || exit 77
	# A zsh in a pseudo-terminal (zsh/zpty) loads compinit with
	# completions/ first in $fpath, gets LINE and a TAB, and writes every
	# match that the completion adds (a compadd wrapper) to a file.  The
	# completion system is restricted to its base functions, for speed.
	exec zsh -f -c '
		zmodload zsh/zpty || exit 77
		root=${1:A} line=$2
		tmp=$(mktemp -d) || exit 2
		cat > $tmp/setup.zsh <<EOF
PS1="" RPS1="" PROMPT_EOL_MARK="" LISTMAX=0
# only what the completion system needs: scanning all of \$fpath is slow
fpath=($root/completions \${(M)fpath:#*/Completion(|/Base|/Unix|/Zsh)})
autoload -Uz compinit
compinit -C -D
zstyle ":completion:*" list-prompt ""
zstyle ":completion:*" select-prompt ""
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
zstyle ":completion:*" completer _complete
comppostfuncs=(done-marker)
zle -C done-complete complete-word _main_complete
bindkey "^I" done-complete
EOF
		zpty llmstat_t zsh -f -i || exit 2
		zpty -w llmstat_t "source $tmp/setup.zsh; print -r -- SETUP\"\"OK"
		zpty -r -m llmstat_t junk "*SETUPOK*" || exit 2
		zpty -w -n llmstat_t "$line"$'"'"'\t'"'"'
		for i in {1..200}; do
			[[ -f $tmp/out ]] && grep -q "^<<end>>\$" $tmp/out && break
			zpty -r -t llmstat_t junk 2>/dev/null
			sleep 0.05
		done
		zpty -d llmstat_t
		if [[ -f $tmp/out ]] && grep -q "^<<end>>\$" $tmp/out; then
			grep -v "^<<end>>\$" $tmp/out | sort -u
			rc=0
		else
			rc=2
		fi
		rm -rf $tmp
		exit $rc' zsh "$root" "$1"
	;;
*)
	echo "usage: $0 bash|zsh|fish ROOT WORDS..." >&2
	exit 2
	;;
esac
