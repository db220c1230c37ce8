"""Access judged grant by grant: wildcards, conditions, denies, and policies that cannot be read."""

from __future__ import annotations

from typing import Any

from bedrock_platform.review.access import Grant, compare_access


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Type": "AWS::IAM::Policy", "Properties": {"PolicyDocument": {"Statement": list(statements)}}}


READ = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::docs/*"}


def test_a_wildcard_covers_what_it_matches_and_actions_ignore_case() -> None:
    broad = Grant("Allow", "", "s3:Get*", "arn:aws:s3:::docs/*")
    assert broad.covers(Grant("Allow", "", "S3:GetObject", "arn:aws:s3:::docs/manuals/a.pdf"))
    assert not broad.covers(Grant("Allow", "", "s3:PutObject", "arn:aws:s3:::docs/a.pdf"))
    assert not broad.covers(Grant("Allow", "", "s3:GetObject", "arn:aws:s3:::other/a.pdf"))
    assert not Grant("Allow", "", "s3:GetObject", "*").covers(Grant("Allow", "", "s3:*", "*"))


def test_splitting_a_statement_in_two_is_neither_wider_nor_narrower() -> None:
    both = {**READ, "Action": ["s3:GetObject", "s3:ListBucket"]}
    split = [READ, {**READ, "Action": "s3:ListBucket"}]
    verdict = compare_access("AWS::IAM::Policy", policy(both), policy(*split))
    assert verdict.widens == () and verdict.narrows == ()


def test_removing_a_deny_widens_and_adding_one_narrows() -> None:
    deny = {
        "Effect": "Deny",
        "Action": "s3:*",
        "Resource": "*",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    lifted = compare_access("AWS::S3::BucketPolicy", policy(READ, deny), policy(READ))
    assert lifted.widens and "no longer denied: s3:* on *" in lifted.widens[0]
    added = compare_access("AWS::S3::BucketPolicy", policy(READ), policy(READ, deny))
    assert added.widens == () and added.narrows


def test_not_action_is_compared_as_a_whole() -> None:
    before = {"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}
    after = {"Effect": "Allow", "NotAction": ["iam:*", "sts:*"], "Resource": "*"}
    assert compare_access("AWS::IAM::Policy", policy(before), policy(after)).widens


def test_a_principal_star_is_wider_than_any_account() -> None:
    def trust(principal: Any) -> dict[str, Any]:
        statement = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
        return {
            "Type": "AWS::IAM::Role",
            "Properties": {"AssumeRolePolicyDocument": {"Statement": [statement]}},
        }

    account = {"AWS": "arn:aws:iam::111111111111:root"}
    assert compare_access("AWS::IAM::Role", trust(account), trust("*")).widens
    assert not compare_access("AWS::IAM::Role", trust("*"), trust(account)).widens


def test_an_unreadable_collection_policy_is_flagged_for_a_reader() -> None:
    def access(text: str) -> dict[str, Any]:
        return {"Type": "AWS::OpenSearchServerless::AccessPolicy", "Properties": {"Policy": text}}

    verdict = compare_access("AWS::OpenSearchServerless::AccessPolicy", access("[]"), access("not json"))
    assert verdict.widens == ("policy changed in a way that cannot be compared; read it",)
