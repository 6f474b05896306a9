# bash completion for sohoa (installed as .../bash-completion/completions/sohoa)
_sohoa()
{
    local cur prev cmd opts
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    cmd=${COMP_WORDS[1]}
    local commands="run watch list search show sign verify repair export cancel reindex --help --version"
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        return
    fi
    case $prev in
        --archive|--replica|--bagit|--inbox|--out)
            COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --sign-key|--sign-cert|--sign-chain|--key|--cert|--chain|--pin-file|--trust|--meta|--config|--pkcs11-module|--sign-seal|--seal|--sign-signature-image|--signature-image|--font|--sign-font)
            COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --io) COMPREPLY=($(compgen -W "auto uring threads" -- "$cur")); return ;;
        --lang) COMPREPLY=($(compgen -W "vie+eng vie eng" -- "$cur")); return ;;
        --sign-profile|--profile) COMPREPLY=($(compgen -W "digitizer agency result copy none" -- "$cur")); return ;;
        --digest|--sign-digest) COMPREPLY=($(compgen -W "sha256 sha384 sha512" -- "$cur")); return ;;
    esac
    case $cmd in
        run|watch) opts="--archive --jobs --no-ocr --lang --ocr-dpi --sidecar --split-on-blank
              --meta --replica --no-replicas --operator --sign-key --sign-cert --sign-chain
              --pkcs11-module --token --key-label --pin-file --sign-digest --sign-pss
              --sign-profile --sign-name --sign-agency --sign-seal --sign-pos --sign-font
              --sign-signature-image --sign-title --no-sign --json --quiet --io --jpeg
              --deskew-image
              --default-dpi --min-dpi --max-pixels --max-pages --config --help"
              [ "$cmd" = watch ] && opts="$opts --settle --once --inbox" ;;
        list) opts="--archive --json --config --help" ;;
        search) opts="--archive --json --limit --applicant --procedure --from --to --config --help" ;;
        show) opts="--archive --json --config --help" ;;
        sign) opts="--key --cert --chain --pkcs11-module --token --key-label --pin-file --digest
              --pss --profile --name --agency --title --seal --seal-dpi --signature-image --pos
              --font --font-size --qr-pos --qr-size --reason --qr-dossier --qr-procedure
              --qr-applicant --qr-document --qr-system --out --jobs --quiet --config --help" ;;
        verify|repair) opts="--trust --archive --replica --no-replicas --since --sample --seed
              --jobs --json --quiet --no-record --config --help" ;;
        export) opts="--bagit --archive --organization --config --help" ;;
        cancel) opts="--archive --reason --config --help" ;;
        reindex) opts="--archive --merge --quiet --config --help" ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -F _sohoa sohoa
