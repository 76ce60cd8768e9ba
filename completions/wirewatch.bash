# bash completion for wirewatch(1)                       -*- shell-script -*-
# Installed as share/bash-completion/completions/wirewatch.

# The URLs of the feeds file, for `feeds remove`: the configuration
# directory of --config, else $XDG_CONFIG_HOME/wirewatch, else ~/.config/wirewatch.
_wirewatch_feed_urls()
{
	local dir j urls c=$cur

	dir=${XDG_CONFIG_HOME:-$HOME/.config}
	case $dir in /*) ;; *) dir=$HOME/.config ;; esac
	dir=$dir/wirewatch
	for ((j = 1; j < COMP_CWORD; j++)); do
		case ${COMP_WORDS[j]} in
		--config|-c) dir=${COMP_WORDS[j+1]}; break ;;
		--config=*) dir=${COMP_WORDS[j]#--config=}; break ;;
		esac
	done
	[ -r "$dir/feeds" ] || return 0
	urls=$(sed -n 's/^[[:space:]]*\([^#[:space:]][^[:space:]]*\).*/\1/p' "$dir/feeds")
	# URLs hold ':', a word break for readline: complete the whole word
	if declare -F _get_comp_words_by_ref >/dev/null; then
		_get_comp_words_by_ref -n : c
	fi
	COMPREPLY=($(compgen -W "$urls" -- "$c"))
	if declare -F __ltrim_colon_completions >/dev/null; then
		__ltrim_colon_completions "$c"
	fi
}

_wirewatch()
{
	local cur prev cmd sub i w
	local commands="digest feeds help init parse rules run status version"
	local global="--config --state --verbose --quiet --help --version -v -q -h -V"

	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}

	# The command is the first word after the global options.
	cmd= sub=
	i=1
	while [ "$i" -lt "$COMP_CWORD" ]; do
		w=${COMP_WORDS[i]}
		case $w in
		--config|--state|-c|-s)
			i=$((i + 2)); continue ;;
		-*)
			i=$((i + 1)); continue ;;
		esac
		cmd=$w
		break
	done
	# rules and feeds have subcommands: the word after the command.
	case $cmd in
	rules|feeds)
		[ $((i + 1)) -lt "$COMP_CWORD" ] && sub=${COMP_WORDS[i+1]} ;;
	esac

	# The value of an option.
	if [ -z "$cmd" ]; then
		case $prev in
		--config|--state|-c|-s)
			COMPREPLY=($(compgen -d -- "$cur"))
			return 0 ;;
		esac
	fi
	case "$cmd $sub $prev" in
	"digest  --format"|"digest  -f")
		COMPREPLY=($(compgen -W "text markdown html json atom" -- "$cur"))
		return 0 ;;
	"digest  --output"|"digest  -o"|"rules test --rules"|"rules test -r")
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0 ;;
	"digest  --since"|"digest  -s"|"digest  --until"|"digest  -u"|"rules test --since")
		COMPREPLY=($(compgen -W "24h 7d 2w" -- "$cur"))
		return 0 ;;
	"feeds add --interval"|"feeds add -i")
		COMPREPLY=($(compgen -W "15m 30m 1h 6h 1d" -- "$cur"))
		return 0 ;;
	"digest  --watch"|"digest  -w"|"feeds add --name"|"feeds add -n"|\
	"feeds add --tag"|"feeds add -t"|"rules test --item"|"rules test -n")
		return 0 ;;
	esac

	if [ -z "$cmd" ]; then
		case $cur in
		-*) COMPREPLY=($(compgen -W "$global" -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
		esac
		return 0
	fi

	case $cmd in
	help)
		COMPREPLY=($(compgen -W "$commands" -- "$cur")) ;;
	digest)
		COMPREPLY=($(compgen -W "--since --until --format --output
		    --no-fetch --watch --help" -- "$cur")) ;;
	run)
		COMPREPLY=($(compgen -W "--once --help" -- "$cur")) ;;
	status)
		COMPREPLY=($(compgen -W "--json --help" -- "$cur")) ;;
	init|version)
		COMPREPLY=($(compgen -W "--help" -- "$cur")) ;;
	parse)
		case $cur in
		-*) COMPREPLY=($(compgen -W "--help" -- "$cur")) ;;
		*) COMPREPLY=($(compgen -f -- "$cur")) ;;
		esac ;;
	rules)
		case $sub in
		"")
			COMPREPLY=($(compgen -W "check test edit --help" -- "$cur")) ;;
		check)
			case $cur in
			-*) COMPREPLY=($(compgen -W "--no-tests --verbose --help" -- "$cur")) ;;
			*) COMPREPLY=($(compgen -f -- "$cur")) ;;
			esac ;;
		test)
			case $cur in
			-*) COMPREPLY=($(compgen -W "--json --explain --rules --item
			    --stored --since --help" -- "$cur")) ;;
			*) COMPREPLY=($(compgen -f -- "$cur")) ;;
			esac ;;
		edit)
			COMPREPLY=($(compgen -f -X '!*.rules' -- "$cur"))
			COMPREPLY+=($(compgen -d -- "$cur")) ;;
		esac ;;
	feeds)
		case $sub in
		"")
			COMPREPLY=($(compgen -W "add remove list import export --help" -- "$cur")) ;;
		add)
			case $cur in
			-*) COMPREPLY=($(compgen -W "--name --interval --tag" -- "$cur")) ;;
			esac ;;
		remove)
			_wirewatch_feed_urls ;;
		list)
			COMPREPLY=($(compgen -W "--json" -- "$cur")) ;;
		import)
			COMPREPLY=($(compgen -f -- "$cur")) ;;
		esac ;;
	esac
	return 0
}
complete -o filenames -F _wirewatch wirewatch
