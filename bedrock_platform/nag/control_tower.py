"""The AWS Control Tower proactive controls as a CDK policy-validation plugin that fails the synth.

``ControlTowerChecks`` runs ``CfnGuardValidator`` of ``cdklabs-cdk-validator-cfnguard`` (cfn-guard
and the Control Tower rule set it bundles), with some rules turned off, and reports each finding as
an error. That last part is why it wraps the validator rather than registering it as it is: the
validator's findings carry no severity, and once any finding of the plugin is acknowledged,
aws-cdk-lib recomputes the report's success as "no error left", so every other finding would pass
(found with aws-cdk-lib 2.275.0 and the validator 0.0.62; tests/nag/test_control_tower.py holds it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import aws_cdk as cdk
import jsii

from bedrock_platform.spec import control_tower

ERROR = "error"
WARNING = "warning"


@jsii.implements(cdk.IPolicyValidationPlugin)
class ControlTowerChecks:
    """The Control Tower proactive controls, each finding an error that fails the synth.

    Register it on an app or a stage (``cdk.Validations.of(app).add_plugins(ControlTowerChecks())``);
    acknowledge a finding with the id ``cdk-validator-cfnguard::<rule name>``.

    :param disabled_rules: the rules turned off, by the file that holds them (``ct-s3-pr-9``).
        Default: the toolkit's :data:`~bedrock_platform.spec.control_tower.PLATFORM_EXEMPTIONS`.
    :param report_only: findings are warnings, listed in the validation report without failing the
        synth: what turning the controls on would ask of an app. Default: False.
    """

    def __init__(self, *, disabled_rules: Sequence[str] | None = None, report_only: bool = False) -> None:
        self._report_only = report_only
        # Imported here: its jsii assembly costs the synths that do not run it.
        from cdklabs.cdk_validator_cfnguard import CfnGuardValidator

        disabled = control_tower.disabled_files() if disabled_rules is None else list(disabled_rules)
        self._validator = CfnGuardValidator(control_tower_rules_enabled=True, disabled_rules=disabled)

    # jsii reads an interface's members through properties (plain attributes read as undefined).
    @property
    def name(self) -> str:
        return control_tower.PLUGIN_NAME

    @property
    def version(self) -> str | None:
        return self._validator.version

    @property
    def rule_ids(self) -> list[str] | None:
        return self._validator.rule_ids

    def validate(self, context: cdk.IPolicyValidationContext) -> cdk.PolicyValidationPluginReport:
        report = self._validator.validate(context)  # type: ignore[arg-type]  # the same members
        severity = WARNING if self._report_only else ERROR
        return cdk.PolicyValidationPluginReport(
            success=report.success or self._report_only,
            plugin_version=report.plugin_version,
            metadata=report.metadata,
            violations=[_with_severity(violation, severity) for violation in report.violations],
        )


def _with_severity(violation: Any, severity: str) -> cdk.PolicyViolation:
    return cdk.PolicyViolation(
        rule_name=violation.rule_name,
        description=violation.description,
        fix=violation.fix,
        rule_metadata=violation.rule_metadata,
        severity=severity,
        violating_resources=[
            cdk.PolicyViolatingResource(
                locations=list(resource.locations),
                resource_logical_id=resource.resource_logical_id,
                template_path=resource.template_path,
            )
            for resource in violation.violating_resources
        ],
    )
