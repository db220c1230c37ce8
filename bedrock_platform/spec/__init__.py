"""What the toolkit knows about each resource family, CDK-free and YAML-free: its kinds, limits,
defaults and derived names, each number with the service's source. The config schema (tested
against it), the config model and rules, and the constructs all read these modules; none restates
them. One module per family (:mod:`.chunking` first; see the README's architecture notes)."""
