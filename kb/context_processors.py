from . import seo, variants
from .search.query import MAX_QUERY_LENGTH

SITE_DESCRIPTION = "花呗、分期乐等消费信贷常见问题：找到原因，马上知道怎么办。"


def site(request):
    """What base.html needs on every page: the script variant, its lang tag, the same page in
    the other variant (for the switch and hreflang), the canonical URL and the search box's
    limit."""
    variant = variants.current_variant()
    urls = variants.variant_urls(request)
    other = variants.TRADITIONAL if variant == variants.SIMPLIFIED else variants.SIMPLIFIED
    return {
        "variant": variant,
        "html_lang": variants.HTML_LANG[variant],
        "og_locale": variants.OG_LOCALE[variant],
        "alternates": [(variants.HTML_LANG[code], url) for code, url in urls.items()],
        "x_default_url": urls[variants.SIMPLIFIED],
        "other_variant": {
            "url": urls[other],
            "lang": variants.HTML_LANG[other],
            "label": variants.LABEL[other],
        },
        "canonical_url": seo.absolute_url(request, request.path),
        "site_description": SITE_DESCRIPTION,
        "max_query_length": MAX_QUERY_LENGTH,
    }
