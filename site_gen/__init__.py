"""site-gen: patient-education sites for physical-therapy clinics, from Markdown and YAML.

`site_gen.cli.main` runs the commands; `site_gen.build.pipeline` is the build, step by step
(see docs/architecture.md)."""
