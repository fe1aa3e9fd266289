# install.mk - install, uninstall and the packages the documentation tests
# use.  Included by the Makefile, which defines PREFIX, BINDIR, MANDIR and
# DATADIR (with ?=, so `make install PREFIX=/usr DESTDIR=/tmp/stage` works).

INSTALL ?= install

# The installed files, relative to $(DESTDIR).
INST_BIN  = $(BINDIR)/llmstat
INST_MAN  = $(MANDIR)/man1/llmstat.1
INST_BASH = $(DATADIR)/bash-completion/completions/llmstat
INST_ZSH  = $(DATADIR)/zsh/site-functions/_llmstat
INST_FISH = $(DATADIR)/fish/vendor_completions.d/llmstat.fish

install: llmstat
	$(INSTALL) -d '$(DESTDIR)$(BINDIR)' '$(DESTDIR)$(MANDIR)/man1' \
	  '$(DESTDIR)$(DATADIR)/bash-completion/completions' \
	  '$(DESTDIR)$(DATADIR)/zsh/site-functions' \
	  '$(DESTDIR)$(DATADIR)/fish/vendor_completions.d'
	$(INSTALL) -m 755 llmstat '$(DESTDIR)$(INST_BIN)'
	$(INSTALL) -m 644 man/llmstat.1 '$(DESTDIR)$(INST_MAN)'
	$(INSTALL) -m 644 completions/llmstat.bash '$(DESTDIR)$(INST_BASH)'
	$(INSTALL) -m 644 completions/_llmstat '$(DESTDIR)$(INST_ZSH)'
	$(INSTALL) -m 644 completions/llmstat.fish '$(DESTDIR)$(INST_FISH)'

# Removes exactly the files that install writes (directories are left).
uninstall:
	rm -f '$(DESTDIR)$(INST_BIN)' '$(DESTDIR)$(INST_MAN)' \
	  '$(DESTDIR)$(INST_BASH)' '$(DESTDIR)$(INST_ZSH)' '$(DESTDIR)$(INST_FISH)'

# The shells and manual tools that tests/test_docs.c runs.  `make test`
# installs them too (deps-test depends on docs-deps).
DOCS_PKG = bash-completion zsh fish mandoc groff-base man-db

docs-deps:
	$(call need_pkgs,$(DOCS_PKG))

deps-test: docs-deps

.PHONY: install uninstall docs-deps
