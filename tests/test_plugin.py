"""The pytest plugin, run the way a user runs it: pytester test files that import only clients."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

# A subprocess run loads only the plugins it needs: the unrelated ones installed beside
# mockvoso (schemathesis, hypothesis, ...) take seconds to import in every xdist process.
# The in-process runs above still load mockvoso through its pytest11 entry point.
ONLY_NEEDED = ("-p", "xdist", "-p", "mockvoso.testing.pytest_plugin")


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_inprocess("-p", "no:cacheprovider", "-q", *args)


def test_each_test_starts_from_the_seed(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import requests

        PHONE = "5305550101"
        URLS = []

        def search(mockvoso):
            return requests.post(
                mockvoso.url + "/v1/leads/search",
                data={"auth_token": mockvoso.token, "phone_number": PHONE},
                timeout=5,
            ).json()["data"]["total"]

        def test_writes_and_breaks_things(mockvoso):
            URLS.append(mockvoso.url)
            assert mockvoso.url.startswith("http://127.0.0.1:")
            assert not mockvoso.url.endswith("/")
            assert mockvoso.office == "ACME"
            assert mockvoso.token == "acmefull499bf56dd125ac3f46bb39e0"
            assert [o["acronym"] for o in mockvoso.offices] == ["ACME", "BRAVO"]
            inserted = requests.post(
                mockvoso.url + "/v1/leads/insert",
                data={"auth_token": mockvoso.token, "list_id": 2701, "phone_number": PHONE},
                timeout=5,
            ).json()
            assert inserted["success"] is True
            assert search(mockvoso) == "1"
            mockvoso.add_fault(endpoint="campaigns/search", status=500)
            mockvoso.set_rate_limit(100, 1)

        def test_sees_none_of_it(mockvoso):
            URLS.append(mockvoso.url)
            assert URLS[0] == URLS[1]  # one server for the session
            assert mockvoso.requests() == []
            assert mockvoso.faults() == []
            assert mockvoso.get_rate_limit() is None
            assert search(mockvoso) == "0"
            assert len(mockvoso.requests()) == 1

        def test_default_world(mockvoso):
            settings = mockvoso.settings
            assert (settings.seed, settings.leads, settings.clock) == (
                1234, 200, "2026-01-01T00:00:00"
            )
            body = requests.get(
                mockvoso.url + "/v1/leads/search",
                params={"auth_token": mockvoso.token, "limit": 2000},
                timeout=5,
            ).json()
            assert body["data"]["total"] == "200"
            assert max(lead["created_at"] for lead in body["data"]["entries"]) < "2026-01-01"
        """
    )
    run(pytester).assert_outcomes(passed=3)


def test_fault_rate_limit_and_journal_helpers(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import httpx
        import pytest

        def test_helpers(mockvoso):
            url = mockvoso.url + "/v1/leads/search"
            params = {"auth_token": mockvoso.token}
            rule = mockvoso.add_fault(endpoint="leads/search", status=503, times=1)
            assert rule["id"] == "f1"
            first = httpx.get(url, params=params)
            assert first.status_code == 503
            assert first.headers["X-Mockvoso-Fault"] == "f1"
            mockvoso.add_fault(endpoint="leads/search", error_code=7230, times=1)
            assert httpx.get(url, params=params).json() == {
                "success": False, "code": 7230, "text": "Invalid limit value"
            }
            assert mockvoso.set_rate_limit(2, 60)["requests"] == 2
            statuses = [httpx.get(url, params=params).status_code for _ in range(3)]
            assert statuses == [200, 200, 429]
            mockvoso.clear_rate_limit()
            assert httpx.post(url, data=params).status_code == 200
            journal = mockvoso.requests(endpoint="leads/search")
            assert [(e["method"], e["status"], e["fault"]) for e in journal] == [
                ("GET", 503, "f1"),
                ("GET", 200, "f2"),
                ("GET", 200, None),
                ("GET", 200, None),
                ("GET", 429, "rate-limit"),
                ("POST", 200, None),
            ]
            assert [e["id"] for e in mockvoso.requests(status=429)] == [5]

        def test_drop_and_hang(mockvoso):
            url = mockvoso.url + "/v1/campaigns/search"
            params = {"auth_token": mockvoso.token}
            mockvoso.add_fault(endpoint="campaigns/search", fault="drop", times=1)
            with pytest.raises(httpx.RemoteProtocolError):
                httpx.get(url, params=params)
            mockvoso.add_fault(endpoint="campaigns/search", fault="hang", hang_ms=60_000)
            with pytest.raises(httpx.ReadTimeout):
                httpx.get(url, params=params, timeout=0.2)
        """
    )
    run(pytester).assert_outcomes(passed=2)


def test_marker_settings_get_their_own_cached_server(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        import requests

        URLS = {}
        small = pytest.mark.mockvoso(
            leads=5,
            rate_limit="2/60",
            faults=[{"endpoint": "campaigns/search", "status": 502}],
        )

        def total(mockvoso):
            return requests.get(
                mockvoso.url + "/v1/leads/search",
                params={"auth_token": mockvoso.token},
                timeout=5,
            ).json()["data"]["total"]

        def campaigns(mockvoso):
            return requests.get(
                mockvoso.url + "/v1/campaigns/search",
                params={"auth_token": mockvoso.token_for("BRAVO")},
                timeout=5,
            )

        @small
        def test_first(mockvoso):
            URLS["first"] = mockvoso.url
            assert total(mockvoso) == "5"
            assert campaigns(mockvoso).headers["X-Mockvoso-Fault"] == "s1"
            mockvoso.clear_faults()
            mockvoso.clear_rate_limit()

        @small
        def test_again_same_server_startup_rules_back(mockvoso):
            URLS["again"] = mockvoso.url
            assert [r["source"] for r in mockvoso.faults()] == ["startup"]
            assert campaigns(mockvoso).status_code == 502
            assert [total(mockvoso), total(mockvoso)] == ["5", "5"]
            response = requests.get(
                mockvoso.url + "/v1/leads/search",
                params={"auth_token": mockvoso.token},
                timeout=5,
            )
            assert response.status_code == 429

        def test_unmarked_uses_the_session_world(mockvoso):
            URLS["plain"] = mockvoso.url
            assert total(mockvoso) == "200"
            assert mockvoso.faults() == []

        @pytest.mark.mockvoso(leads=200)
        def test_same_settings_as_the_session(mockvoso):
            assert mockvoso.url == URLS["plain"]

        @pytest.mark.mockvoso(seed=7, admin_token="s3cret")
        class TestClassMarker:
            @pytest.mark.mockvoso(seed=8)
            def test_closest_marker_wins(self, mockvoso):
                assert (mockvoso.settings.seed, mockvoso.settings.admin_token) == (8, "s3cret")
                assert mockvoso.add_fault(latency_ms=1)["id"] == "f1"  # helpers send it
                denied = requests.get(mockvoso.url + "/_mockvoso/faults", timeout=5)
                assert denied.status_code == 401

        def test_servers(mockvoso):
            assert URLS["first"] == URLS["again"] != URLS["plain"]
        """
    )
    run(pytester).assert_outcomes(passed=6)


def test_a_timed_out_request_does_not_leak_into_the_next_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        import requests
        from flask import request, request_finished

        PHONE = "5305550101"
        FINISHED = []

        def finished(app, response):
            if request.path == "/v1/leads/insert":
                FINISHED.append(response.status_code)

        def test_client_times_out(mockvoso):
            request_finished.connect(finished, mockvoso.app)
            mockvoso.add_fault(endpoint="leads/insert", latency_ms=60_000)
            with pytest.raises(requests.ReadTimeout):
                requests.post(
                    mockvoso.url + "/v1/leads/insert",
                    data={"auth_token": mockvoso.token, "list_id": 2701, "phone_number": PHONE},
                    timeout=0.2,
                )
            assert FINISHED == []  # the server is still "sleeping" on it

        def test_next_world_is_clean(mockvoso):
            # The reset cut the minute short and let the late insert finish *before* it
            # wiped the world: its lead and journal entry are gone.
            assert FINISHED == [200]
            assert mockvoso.requests() == []
            body = requests.post(
                mockvoso.url + "/v1/leads/search",
                data={"auth_token": mockvoso.token, "phone_number": PHONE},
                timeout=5,
            ).json()
            assert body["data"]["total"] == "0"
        """
    )
    result = run(pytester)
    result.assert_outcomes(passed=2)
    assert "requests of an earlier test still running" not in result.stdout.str()


def test_ini_options(pytester: pytest.Pytester) -> None:
    pytester.makeini(
        """
        [pytest]
        mockvoso_seed = 99
        mockvoso_leads = 7
        mockvoso_clock = 2025-06-01
        mockvoso_settings =
            require_office = true
            legacy_auth_status = yes
            faults = ci/faults.yaml
        """
    )
    (pytester.path / "ci").mkdir()
    (pytester.path / "ci" / "faults.yaml").write_text(
        "- {endpoint: campaigns/search, error_code: 6004}\n", encoding="utf-8"
    )
    pytester.makepyfile(
        """
        import requests

        def test_ini(mockvoso):
            s = mockvoso.settings
            assert (s.seed, s.leads, s.clock) == (99, 7, "2025-06-01")
            assert (s.require_office, s.legacy_auth_status) == (True, True)
            body = requests.get(
                mockvoso.url + "/v1/leads/search",
                params={"auth_token": mockvoso.token, "officeAcronym": "ACME"},
                timeout=5,
            ).json()
            assert body["data"]["total"] == "7"
            missing = requests.get(
                mockvoso.url + "/v1/leads/search",
                params={"auth_token": mockvoso.token},
                timeout=5,
            )
            assert missing.status_code == 200  # legacy: auth errors at HTTP 200
            assert missing.json()["success"] is False
            # A relative faults file is found from the rootdir; its rules are startup rules.
            assert [(r["id"], r["error_code"]) for r in mockvoso.faults()] == [("s1", 6004)]
        """
    )
    run(pytester).assert_outcomes(passed=1)


def test_app_and_intercept_fixtures(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import requests

        def test_app_writes(mockvoso_app):
            client = mockvoso_app.test_client()
            body = client.post(
                "/v1/lists/insert",
                data={
                    "auth_token": "acmefull499bf56dd125ac3f46bb39e0",
                    "name": "A brand new list",
                    "campaign_id": 501,
                },
            ).get_json()
            assert body["success"] is True

        def test_app_is_reset(mockvoso_app):
            client = mockvoso_app.test_client()
            lists = client.get(
                "/v1/lists/search", query_string={"auth_token": "acmefull499bf56dd125ac3f46bb39e0"}
            ).get_json()["data"]
            assert "A brand new list" not in [item["name"] for item in lists]

        def test_intercept_fixture(mockvoso_intercept, mockvoso):
            assert mockvoso_intercept.app is mockvoso.app
            response = requests.get(
                "https://api.convoso.com/v1/campaigns/search",
                params={"auth_token": mockvoso_intercept.token},
            )
            assert response.json()["success"] is True
            assert len(mockvoso.requests()) == 1  # one world behind both
        """
    )
    run(pytester).assert_outcomes(passed=3)


def test_bad_settings_fail_the_test_clearly(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.mockvoso(rate_limit="lots")
        def test_bad(mockvoso):
            pass

        @pytest.mark.mockvoso(colour="blue")
        def test_unknown(mockvoso):
            pass
        """
    )
    result = run(pytester)
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "*mockvoso: bad settings for test_bad_settings_fail_the_test_clearly.py::test_bad:"
            " rate limit must look like N/S (N requests per S seconds), got 'lots'",
            "*mockvoso: bad settings for *::test_unknown: unknown setting: colour",
        ]
    )


def test_marker_is_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_inprocess("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.mockvoso(**settings): *"])


def test_xdist_gives_each_worker_its_own_server(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(
        """
        import os
        import pathlib

        import pytest
        import requests

        @pytest.mark.parametrize("n", range(6))
        def test_isolated(mockvoso, n):
            worker = os.environ["PYTEST_XDIST_WORKER"]
            out = pathlib.Path(__file__).parent / f"url-{worker}-{n}.txt"
            out.write_text(mockvoso.url)
            phone = "5305550101"
            params = {"auth_token": mockvoso.token, "phone_number": phone}
            found = requests.post(mockvoso.url + "/v1/leads/search", data=params, timeout=5)
            assert found.json()["data"]["total"] == "0"
            params["list_id"] = 2701
            inserted = requests.post(mockvoso.url + "/v1/leads/insert", data=params, timeout=5)
            assert inserted.json()["success"] is True
        """
    )
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider", *ONLY_NEEDED)
    result.assert_outcomes(passed=6)
    by_worker: dict[str, set[str]] = {}
    for path in pytester.path.glob("url-*.txt"):
        worker = path.name.split("-")[1]
        by_worker.setdefault(worker, set()).add(path.read_text())
    assert sorted(by_worker) == ["gw0", "gw1"]
    assert all(len(urls) == 1 for urls in by_worker.values())  # one server per worker
    assert by_worker["gw0"] != by_worker["gw1"]
