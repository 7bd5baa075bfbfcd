"""Two app instances against one database and one Redis behave as one application."""
import urllib.error
import urllib.parse
import urllib.request

import pytest

REDIS = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_url():
    import redis

    client = redis.Redis.from_url(REDIS)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail("Redis is needed for the multi-instance tests (127.0.0.1:6379)")
    client.flushdb()
    yield REDIS
    client.flushdb()


def post_form(url, data):
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), method="POST")
    try:
        with urllib.request.urlopen(request) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.postgres
def test_a_rate_limit_counts_across_both_instances(start_server, redis_url):
    settings = {"RATELIMIT_ENABLED": "true", "RATELIMIT_STORAGE_URI": redis_url, "RATELIMIT_LOGIN": "3 per minute",
                "WTF_CSRF_ENABLED": "false"}
    one, two = start_server(workers=1, **settings), start_server(workers=1, **settings)
    wrong = {"email": "nobody@example.org", "password": "not the password"}
    statuses = [post_form(server.url + "/staff/login", wrong) for server in (one, two, one, two)]
    assert statuses == [401, 401, 401, 429]
