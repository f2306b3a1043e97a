"""A second-process load on a mock server: valid writes, bad input and reads, for a bounded time.

python -m tests.reliability.load BASE_URL SECONDS  ->  prints {"accepted": [...], "server_errors": [...]}
"""

from __future__ import annotations

import json
import random
import sys
import time

import httpx

CREATE, LIST = "/service/cloud/workflow/createinstance", "/service/cloud/workflow/instancelist"
JUNK = [None, -1, 2**70, "", "x" * 3000, [], {}, True, "\x00", "2099-13-45"]


def main(base_url: str, seconds: float) -> None:
    rng = random.Random(5)
    accepted: list[str] = []
    server_errors: list[str] = []
    with httpx.Client(base_url=base_url, timeout=30) as http:
        auth = http.post("/service/cloud/auth", json={"APPKey": "mock-app-key", "APPSecret": "mock-app-secret"})
        http.headers["Authorization"] = f"Token {auth.json()['data']['token']}"
        deadline = time.monotonic() + seconds
        n = 0
        while time.monotonic() < deadline:
            n += 1
            choice = n % 3
            if choice == 0:
                body = {"workflow_template_id": 1, "name": f"load-{n}", "end_time": "2099-01-01T00:00:00Z"}
                answer = http.post(CREATE, json=body)
                if answer.status_code == 200:
                    accepted.append(answer.json()["data"]["workflow_id"])
            elif choice == 1:
                bad = {rng.choice(["workflow_template_id", "name", "end_time", "x"]): rng.choice(JUNK)}
                answer = http.post(CREATE, json=bad) if rng.random() < 0.5 else http.get(LIST, params={"size": bad})
            else:
                answer = http.get(LIST, params={"page": rng.randint(1, 5), "size": 50})
            if answer.status_code >= 500:
                server_errors.append(f"{answer.request.method} {answer.request.url}: {answer.status_code}")
    print(json.dumps({"accepted": accepted, "server_errors": server_errors, "requests": n}))


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]))
