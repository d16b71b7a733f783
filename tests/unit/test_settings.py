"""Each service uses its own database unless told otherwise, also through a settings copy."""

from casebus.settings import Settings


def test_unset_database_is_the_services_own() -> None:
    assert Settings(service="routing").dsn.endswith("/routing")


def test_a_copy_for_another_service_gets_that_services_database() -> None:
    copied = Settings(service="intake").model_copy(update={"service": "reporting"})
    assert copied.dsn.endswith("/reporting")


def test_an_explicit_database_url_wins() -> None:
    url = "postgresql://u@db:5432/cases"
    assert Settings(service="reporting", database_url=url).model_copy(
        update={"service": "routing"}).dsn == url


# --- who may start with which secrets (the demo secret is public) ---------------------------
import time  # noqa: E402

import jwt  # noqa: E402
import pytest  # noqa: E402

from casebus.access import Role, main, mint_token, verify_token  # noqa: E402
from casebus.settings import UnsafeSettings  # noqa: E402

STRONG = "s" * 40


@pytest.mark.parametrize("overrides", [
    {},  # production with the demo secrets
    {"token_secret": "short-secret"},
    {"token_secret": STRONG},  # the pseudonym secret is still the demo one
    {"pseudonym_secret": STRONG},
])
def test_production_refuses_demo_or_short_secrets(overrides: dict[str, str]) -> None:
    with pytest.raises(UnsafeSettings, match="at least 32 characters"):
        Settings(http_host="0.0.0.0", **overrides).check_safe_to_serve()


def test_the_embedded_profile_serves_demo_secrets_on_loopback_only() -> None:
    Settings(profile="embedded", http_host="127.0.0.1").check_safe_to_serve()
    Settings(profile="embedded", http_host="localhost").check_safe_to_serve()
    with pytest.raises(UnsafeSettings, match="loopback only"):
        Settings(profile="embedded", http_host="0.0.0.0").check_safe_to_serve()
    Settings(http_host="0.0.0.0", token_secret=STRONG,
             pseudonym_secret=STRONG + "p").check_safe_to_serve()


def test_tokens_name_their_issuer_and_audience() -> None:
    token = mint_token(STRONG, subject="zhao", district="chaoyang", role=Role.LEADER)
    assert verify_token(STRONG, token).role is Role.LEADER
    with pytest.raises(jwt.InvalidAudienceError):
        verify_token(STRONG, token, audience="urn:another:api")
    with pytest.raises(jwt.InvalidIssuerError):
        verify_token(STRONG, token, issuer="urn:someone:else")
    unscoped = jwt.encode({"sub": "zhao", "district": "chaoyang", "role": "leader",
                           "exp": 4_000_000_000}, STRONG, algorithm="HS256")
    with pytest.raises(jwt.MissingRequiredClaimError):
        verify_token(STRONG, unscoped)


def test_a_token_verified_before_is_still_refused_once_it_expires() -> None:
    token = mint_token(STRONG, subject="zhao", district="chaoyang", role=Role.CLERK,
                       ttl_seconds=1)
    assert verify_token(STRONG, token).district == "chaoyang"  # now cached
    assert verify_token(STRONG, token).district == "chaoyang"
    with pytest.raises(jwt.InvalidAudienceError):  # the cache is keyed by what is checked
        verify_token(STRONG, token, audience="urn:another:api")
    with pytest.raises(jwt.InvalidSignatureError):
        verify_token("t" * 40, token)
    time.sleep(2.1)  # past its one-second lifetime (expiry has whole-second resolution)
    with pytest.raises(jwt.ExpiredSignatureError):
        verify_token(STRONG, token)


@pytest.mark.parametrize("argv, problem", [
    (["--district", "", "--role", "clerk", "--subject", "wang"], "district"),
    (["--district", "chaoyang", "--role", "unit-handler", "--subject", "li"], "name the unit"),
    (["--district", "chaoyang", "--role", "clerk", "--subject", "wang", "--ttl-days", "-1"],
     "lifetime must be positive"),
])
def test_the_token_command_refuses_tokens_that_would_fail(
        argv: list[str], problem: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert problem in capsys.readouterr().err
