"""Scrapy settings for crosspost: polite by default.

Every setting here can be overridden per job with ``crosspost crawl -s NAME=VALUE`` or
``scrapy crawl outlets -s NAME=VALUE``.
"""

BOT_NAME = "crosspost"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
ADDONS = {}

# Identify ourselves; set CROSSPOST_CONTACT_URL so site owners can reach the operator.
CROSSPOST_CONTACT_URL = "https://github.com/crosspost/crosspost"
USER_AGENT = f"crosspost/0.1 (+{CROSSPOST_CONTACT_URL})"

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
# One request at a time per outlet: the frontier puts every request of an outlet (www.x and
# x alike) in one download slot named after the outlet.
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
# Items of one response processed at once. A page yields one item; Scrapy starts this many
# asyncio tasks for every response, and its default of 100 costs more CPU than fetching.
CONCURRENT_ITEMS = 8
# News articles are well under this; larger responses are cancelled with a log line.
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# Before each retry: the server's Retry-After (capped), else exponential backoff.
RETRY_AFTER_MAX = 120
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 60
REDIRECT_MAX_TIMES = 10
# Responses waiting for extraction and storage hold at most this many bytes (Scrapy's default
# is 5 MB): fetching pauses while extraction catches up, so a crash leaves only a few dozen
# fetched-but-unstored pages for the next run to fetch again.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 256 * 1024
# Keep 404s and other errors in the callbacks' reach so their reason is recorded.
HTTPERROR_ALLOW_ALL = True
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

ITEM_PIPELINES = {
    "crawler.pipelines.ExtractPipeline": 300,
    "crawler.pipelines.FollowSourcesPipeline": 500,
    "crawler.pipelines.StorePipeline": 800,
}
EXTENSIONS = {
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawler.extensions.OutletThrottle": 0,
    "crawler.extensions.CrawlRecorder": 500,
    "crawler.extensions.CrawlProgress": 510,
}
# Closest to the engine: it sees (and records) every request the spider yields.
SPIDER_MIDDLEWARES = {
    "crawler.crawl.frontier.FrontierMiddleware": 10,
}

# crosspost's own settings
CROSSPOST_DB = "crosspost.db"
# Processes that run extraction beside the crawl; 0 extracts in the crawling process.
CROSSPOST_EXTRACT_PROCESSES = 1
# Match each stored article against the near-duplicate index as it arrives.
CROSSPOST_MATCH = True
# Store and match in a writer process beside the crawl, fed in batches (False: in the
# crawling process, which then has that much less CPU for fetching).
CROSSPOST_STORE_PROCESS = True
# Stored pages are committed this many at a time, or after this many seconds: a commit per
# page costs more than storing the page. A crash loses at most the batches not committed yet
# (the one being filled, and up to two waiting for the writer process), fetched again on
# resume. 1 commits every page.
CROSSPOST_COMMIT_EVERY = 8
CROSSPOST_COMMIT_SECONDS = 1.0
# Fetch the sources articles credit, on any outlet, up to this many hops (0: never).
CROSSPOST_FOLLOW_DEPTH = 1
# Sources followed from credits go through the fetch guard (docs/security.md): no private,
# loopback, link-local or special-purpose address, checked again where Scrapy connects.
# CROSSPOST_FETCH_ALLOW_HOSTS names hosts allowed whatever they resolve to ("host",
# "host:port" or ".domain"); CROSSPOST_FETCH_ALLOW_PRIVATE turns the address checks off.
CROSSPOST_FETCH_GUARD = True
CROSSPOST_FETCH_GUARD_ALL = False
CROSSPOST_FETCH_ALLOW_HOSTS = []
CROSSPOST_FETCH_ALLOW_PRIVATE = False
TWISTED_DNS_RESOLVER = "crawler.crawl.resolver.GuardedResolver"
# Skip sitemap/feed entries dated before this (ISO date), e.g. "2024-01-01".
CROSSPOST_SINCE = None
# Skip unchanged sitemap/feed entries and send conditional requests for known pages.
CROSSPOST_INCREMENTAL = True
# The crawl job a run belongs to (default: derived from the start URLs and options). A run of
# a job that did not finish resumes it; CROSSPOST_RESTART starts it over instead.
CROSSPOST_JOB = None
CROSSPOST_RESTART = False
# Write every request and response to WARC files in this directory.
CROSSPOST_WARC_DIR = None
CROSSPOST_WARC_MAX_SIZE = 1024**3
# A live progress line on stderr.
CROSSPOST_PROGRESS = False

DOWNLOADER_MIDDLEWARES = {
    # First: a forbidden followed source is not even asked for its robots.txt.
    "crawler.crawl.guardmiddleware.FetchGuardMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.RobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.RetryAfterMiddleware": 550,
    # Next to the downloader: archives responses as they came off the wire.
    "crawler.crawl.warc_writer.WarcMiddleware": 950,
    # Above RedirectMiddleware (600) so it sees the 3xx response first.
    "crawler.middlewares.RedirectLoopMiddleware": 650,
}
# When a site's robots.txt cannot be fetched: False assumes "allow all" (Scrapy's behaviour),
# True crawls nothing on that site.
ROBOTSTXT_STRICT = False

# Distributed crawl on Redis (docs/scaling.md). A Redis URL (or `crosspost crawl --redis URL`)
# makes this process a worker: the scheduler and duplicate filter are scrapy-redis's, items go
# to the writer (`crosspost ingest --from-redis URL`) through a Redis stream.
CROSSPOST_REDIS_URL = None
# Prefix of every key of one distributed crawl (several crawls can share one server).
CROSSPOST_REDIS_PREFIX = "crosspost"
# Seconds a worker holds a request without renewing before any other process requeues it.
CROSSPOST_REDIS_LEASE = 60
# A request handed out this many times without finishing (it kills its workers) is dropped.
CROSSPOST_REDIS_MAX_TRIES = 3
# A worker stops once the shared frontier has been empty this long (0: wait for pushes).
CROSSPOST_REDIS_IDLE_EXIT = 10
# Workers pause while this many extracted pages wait for the writer.
CROSSPOST_REDIS_MAX_BACKLOG = 20000
# One politeness limit per outlet across all workers (delay and concurrency kept in Redis);
# False: each worker is polite on its own, so N workers may load an outlet N times as much.
CROSSPOST_REDIS_SHARED_POLITENESS = True
# One fetch of each site's robots.txt for all workers: the first stores it in Redis, the others
# read it from there (False: every worker fetches it, one more request per site and worker).
CROSSPOST_REDIS_SHARED_ROBOTS = True
# Seconds a shared robots.txt is kept before a worker fetches it again (RFC 9309: at most a day).
CROSSPOST_REDIS_ROBOTS_TTL = 86400
# A shared key: workers sign each page they send, the writer refuses entries it cannot verify.
# Prefer the environment variable of the same name (settings show up in process lists).
CROSSPOST_REDIS_HMAC_KEY = None
