import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from core.caching import (
    PERSONAL_CACHE_CONTROL,
    REGISTRY_CACHE_CONTROL,
    SITE_SCOPE,
    LiveRegion,
    page_cache_policy,
    registry_content_scope,
    registry_scope,
)
from core.currency import CURRENCY_CHOICES, format_day, format_money
from core.models import BasePage
from core.rich_text import page_link_ids, without_page_links_outside

from .blocks import GiftListBlock
from .forms import RegistryPageForm
from .panels import STAFF_ONLY, AddressConfirmationPanel, CoupleWelcomePanel, PackagePanel

# Easy to read off a printed card: no 0/o, 1/l/i.
SHORT_CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
SHORT_CODE_LENGTH = 8


def _new_short_code() -> str:
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


class Package(models.Model):
    """A plan couples can be on: how many gifts their registry may hold, and what it costs."""

    name = models.CharField(max_length=60)
    price = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="GBP")
    gift_limit = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many gifts a registry on this package may publish. Empty: no limit."
    )
    features = models.TextField(
        blank=True,
        help_text="What the package includes, one feature per line. The price and the gift limit are shown already.",
    )
    exports_ledger = models.BooleanField(
        "thank-you list download",
        default=False,
        help_text="Couples on this package may download their gifts and givers as a spreadsheet (CSV).",
    )
    is_default = models.BooleanField(default=False, help_text="New registries start on the default package.")
    sort_order = models.PositiveIntegerField(default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("price"),
        FieldPanel("currency"),
        FieldPanel("gift_limit"),
        FieldPanel("features"),
        FieldPanel("exports_ledger"),
        FieldPanel("is_default"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "price"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_package"),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def default(cls) -> "Package | None":
        return cls.objects.filter(is_default=True).first()

    @property
    def feature_list(self) -> list[str]:
        return [line.strip() for line in self.features.splitlines() if line.strip()]

    # What a pricing table and the plan page show.
    @property
    def is_free(self) -> bool:
        return not self.price

    @property
    def price_display(self) -> str:
        # "£0" rather than "Free": the free package is usually named so already.
        return format_money(self.price, self.currency)

    @property
    def gift_limit_display(self) -> str:
        return "Unlimited gifts" if self.gift_limit is None else f"Up to {self.gift_limit} gifts"

    @property
    def card_features(self) -> list[str]:
        """The features a pricing card lists under its price and gift limit: without a line saying either again."""
        said = {self.name.lower(), "free", self.gift_limit_display.lower()}
        if self.gift_limit is None:
            said.add("as many gifts as you like")
        return [feature for feature in self.feature_list if feature.lower() not in said]

    def allows_gift_count(self, count: int) -> bool:
        return self.gift_limit is None or count <= self.gift_limit

    def is_upgrade_from(self, other: "Package") -> bool:
        """More gifts than `other` allows (no limit beats any limit)."""
        if self.pk == other.pk or other.gift_limit is None:
            return False
        return self.gift_limit is None or self.gift_limit > other.gift_limit


class RegistryIndexPage(BasePage):
    """`/registries/`: the parent of every couple's registry."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["registries.RegistryPage"]
    max_count = 1

    class Meta:
        verbose_name = "registry index page"

    def permissions_for_user(self, user):
        from .permissions import RegistryIndexPagePermissionTester

        return RegistryIndexPagePermissionTester(user, self)


class RegistryPage(RoutablePageMixin, BasePage):
    """One couple's registry: who they are, and the gifts they would love."""

    class Visibility(models.TextChoices):
        UNLISTED = "unlisted", "Unlisted: only people with the link can see it"
        LISTED = "listed", "Listed: guests can find it by name"
        PASSWORD = "password", "Password-protected"

    partner_one = models.CharField("first partner's name", max_length=60)
    partner_two = models.CharField("second partner's name", max_length=60)
    wedding_date = models.DateField()
    place = models.CharField(max_length=120, blank=True)
    welcome = RichTextField(blank=True, features=["bold", "italic", "link"], verbose_name="welcome message")
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="GBP")
    gifts = StreamField(GiftListBlock(), blank=True, use_json_field=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.UNLISTED)
    # Kept in step with a Wagtail PageViewRestriction on publish (services.registry_privacy_sync).
    guest_password = models.CharField(
        "password for guests",
        max_length=40,
        blank=True,
        help_text="Only for a password-protected registry. Guests type it once per visit; share it with your "
        "invitation. Changing it asks everyone for the new one. Takes effect when you publish.",
    )
    package = models.ForeignKey(Package, null=True, blank=True, on_delete=models.PROTECT, related_name="registries")
    # The short address printed on invitation cards, /r/<short_code>/: it never changes, so a rename keeps it working.
    short_code = models.CharField(max_length=12, unique=True, editable=False, default=_new_short_code)

    # Keep it a surprise: who gave what stays hidden until the reveal (the rule: reservations_revealed).
    # These are the registry's state, not page content: no panel edits them (revealing early has its
    # own confirmation), and publishing an older revision keeps them (see with_content_json).
    keep_surprise = models.BooleanField(
        "keep it a surprise",
        default=True,
        help_text="Until the day after your wedding you see how much of your registry is covered, not who gave what.",
    )
    revealed_at = models.DateTimeField(null=True, blank=True, editable=False)

    content_panels = (
        [AddressConfirmationPanel(), CoupleWelcomePanel()]
        + BasePage.content_panels
        + [
            PackagePanel(),
            MultiFieldPanel(
                [
                    FieldPanel("partner_one"),
                    FieldPanel("partner_two"),
                    FieldPanel("wedding_date"),
                    FieldPanel("place"),
                ],
                heading="The couple",
            ),
            FieldPanel("welcome"),
            FieldPanel("hero_image"),
            FieldPanel("currency"),
            FieldPanel("gifts"),
        ]
    )
    # Search engines are staff's business: couples get no Promote tab (it shows only when one of its
    # fields does), and find their address and sharing photo with the other settings of who sees it.
    promote_panels = [
        MultiFieldPanel(
            [FieldPanel("seo_title", permission=STAFF_ONLY), FieldPanel("search_description", permission=STAFF_ONLY)],
            heading="For search engines",
        ),
    ]
    settings_panels = BasePage.settings_panels + [
        FieldPanel("slug", heading="Your registry's address"),
        FieldPanel("social_image"),
        MultiFieldPanel([FieldPanel("visibility"), FieldPanel("guest_password")], heading="Who can see your registry"),
    ]

    base_form_class = RegistryPageForm
    site_wide_content = False  # its own cache scope: a couple publishing doesn't purge the marketing pages
    password_required_template = "registries/password_required.html"  # noqa: S105 (a template name)
    parent_page_types = ["registries.RegistryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "registry page"

    @property
    def couple_names(self) -> str:
        return f"{self.partner_one} & {self.partner_two}"

    @property
    def meta_description(self) -> str:
        """The couple's own description if they wrote one; otherwise whose gift list this is, and what it's for."""
        if self.search_description:
            return self.search_description
        place = f" in {self.place}" if self.place else ""
        day = format_day(self.wedding_date, self.currency)
        return f"The wedding gift list of {self.couple_names}, {day}{place}: choose a gift, and nobody gives the same."

    def reservations_revealed(self, today: date | None = None) -> bool:
        """May the couple see who reserved what, and their messages? The one place this rule lives.

        Yes once the wedding day is over (from the day after), when they revealed early, or when they
        never wanted the surprise. Until then they see progress only: how much of each gift is taken.
        """
        if not self.keep_surprise or self.revealed_at is not None:
            return True
        return (today or timezone.localdate()) > self.wedding_date

    @property
    def effective_package(self) -> Package | None:
        return self.package or Package.default()

    # State kept as it is in the database whatever revision is published or reverted to: payments set
    # the package and the couple's reveal sets the surprise fields, never the page editor.
    STATE_FIELDS = ("package_id", "keep_surprise", "revealed_at", "short_code")

    def save(self, *args, **kwargs):
        # A copy or an alias (Wagtail copies every field) is another registry, with a card of its own.
        if self._state.adding and RegistryPage.objects.filter(short_code=self.short_code).exists():
            self.short_code = _new_short_code()
        return super().save(*args, **kwargs)

    def with_content_json(self, content):
        page = super().with_content_json(content)
        for name in self.STATE_FIELDS:
            setattr(page, name, getattr(self, name))
        return page

    def permissions_for_user(self, user):
        from .permissions import RegistryPagePermissionTester

        return RegistryPagePermissionTester(user, self)

    def clean(self):
        # Every way of publishing saves the page through here (the editor, the admin API, scheduled
        # publishing, bulk actions), so what publishing asks (a confirmed address, the package's gift
        # limit) holds for all of them.
        super().clean()
        if self._being_published():
            from .publishing import publish_problems

            problems = publish_problems(registry=self, gifts=self.gifts)
            if problems:
                raise ValidationError(problems)

    def _being_published(self) -> bool:
        """Whether this save makes a new revision live (Wagtail sets `live_revision` just before saving)."""
        if not self.live or self.pk is None:
            return False
        stored = RegistryPage.objects.filter(pk=self.pk).values_list("live_revision_id", flat=True).first()
        return self.live_revision_id != stored

    def page_ids_in_sight(self) -> frozenset[int]:
        """This registry and the pages above it: all its couple's choosers show, and all its links may name."""
        return frozenset([self.pk, *self.get_ancestors().exclude(depth=1).values_list("pk", flat=True)])

    @property
    def welcome_html(self) -> RichText:
        """The welcome message as guests see it: a link to a page outside the registry's sight is plain text.

        The editor refuses such links for couples; this keeps one that got in before (or a staff edit)
        from ever showing another registry's address.
        """
        welcome = self.welcome
        if page_link_ids(welcome):
            welcome = without_page_links_outside(welcome, self.page_ids_in_sight())
        return RichText(welcome)

    def get_context(self, request, *args, **kwargs):
        from .listing import ListingQuery, registry_listing

        context = super().get_context(request, *args, **kwargs)
        query = ListingQuery.from_params(request.GET)
        # A preview renders the draft: no cached layout or fragment (they hold the live registry).
        previewing = getattr(request, "is_preview", False)
        content_version = "" if previewing else context["cache_versions"][registry_content_scope(self.pk)]
        # Lazy: when the gift list comes from the fragment cache, none of its queries run.
        context["listing"] = SimpleLazyObject(
            lambda: registry_listing(page=self, query=query, content_version=content_version)
        )
        context["listing_query"] = query
        context["registry_version"] = None if previewing else context["cache_versions"][registry_scope(self.pk)]
        context["listing_key"] = query.cache_key
        return context

    @path("")
    def index_route(self, request, *args, **kwargs):
        """The registry, one page of gifts at a time: a page that isn't there says so, with a 404."""
        response = super().index_route(request, *args, **kwargs)
        query = response.context_data["listing_query"]
        if query.page is None or (query.page > 1 and response.context_data["listing"].page_missing):
            response.status_code = 404
        return response

    def apply_cache_policy(self, request) -> dict[str, str]:
        """Cached whole for anonymous guests and in fragments for everyone, keyed by this registry's version."""
        from .listing import is_canonical_listing_query

        protected = self.visibility == self.Visibility.PASSWORD
        return page_cache_policy(
            request,
            cache_control=PERSONAL_CACHE_CONTROL if protected else REGISTRY_CACHE_CONTROL,
            scopes=[SITE_SCOPE, registry_scope(self.pk), registry_content_scope(self.pk)],
            store_whole_page=not protected,
            storable_query=is_canonical_listing_query(request.GET),
            live_region=LiveRegion(
                scope=registry_scope(self.pk),
                refresh="registries.listing.registry_gift_sections_html",
                arguments={"registry_id": self.pk, "page_url": self.url},
            ),
        )

    def get_view_restrictions(self):
        if getattr(self, "may_be_restricted", True):  # unknown unless routing found out
            return super().get_view_restrictions()
        return PageViewRestriction.objects.none()

    def get_sitemap_urls(self, request=None):
        if self.visibility != self.Visibility.LISTED:
            return []
        return super().get_sitemap_urls(request)

    @path("reserve/<str:block_id>/", name="reserve")
    def reserve(self, request, block_id):
        from .views import reserve_gift

        return reserve_gift(request, registry=self, block_id=block_id)

    @path("give/<str:block_id>/", name="give")
    def give(self, request, block_id):
        from .views import pledge_gift

        return pledge_gift(request, registry=self, block_id=block_id)


class Gift(models.Model):
    """A gift as guests can reserve it: kept in step with the registry's live revision.

    The page's StreamField is what couples edit; this row is what reservations point at, keyed by
    the block's stable id, so editing or removing a gift never loses a reservation.
    """

    registry = models.ForeignKey(RegistryPage, null=True, on_delete=models.SET_NULL, related_name="gift_rows")
    block_id = models.CharField(max_length=64)
    title = models.CharField(max_length=120)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    category = models.CharField(max_length=40, blank=True)
    # Where to buy it, for the emails: so writing them never needs the page's whole gift list.
    shop_name = models.CharField(max_length=80, blank=True)
    shop_url = models.URLField(max_length=2048, blank=True)
    quantity_wanted = models.PositiveIntegerField()
    quantity_reserved = models.PositiveIntegerField(default=0)
    # Funds and group gifts take pledges of money, not reservations of units (see Pledge).
    kind = models.CharField(max_length=5, choices=[("gift", "Gift"), ("fund", "Fund")], default="gift")
    group_gift = models.BooleanField(default=False)
    # A group gift's whole price, never below what guests pledged; a fund's goal, if it has one.
    pledge_goal = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    amount_pledged = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    minimum_contribution = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the couple first published this gift (metrics).
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registry", "block_id"], name="gift_block_unique_per_registry"),
            models.CheckConstraint(condition=Q(quantity_wanted__gte=1), name="gift_wants_at_least_one"),
            models.CheckConstraint(
                condition=Q(quantity_reserved__gte=0) & Q(quantity_reserved__lte=F("quantity_wanted")),
                name="gift_reserved_within_wanted",
            ),
            # Pledges never pass a group gift's price: the conditional UPDATE in pledge_create keeps it so.
            models.CheckConstraint(
                condition=Q(amount_pledged__gte=0) & (Q(group_gift=False) | Q(amount_pledged__lte=F("pledge_goal"))),
                name="gift_pledged_within_goal",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def quantity_remaining(self) -> int:
        return self.quantity_wanted - self.quantity_reserved

    @property
    def takes_pledges(self) -> bool:
        """Guests give an amount of money towards it rather than reserving units."""
        return self.kind == "fund" or self.group_gift

    @property
    def amount_remaining(self):
        """What is left of a group gift's price (None: a fund has no ceiling)."""
        return max(self.pledge_goal - self.amount_pledged, 0) if self.group_gift else None


def _new_manage_token() -> str:
    return secrets.token_urlsafe(32)


class GuestPromise(models.Model):
    """What a guest tells the couple without an account: who they are, a message, and their private link."""

    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    message = models.TextField(blank=True, max_length=1000)
    manage_token = models.CharField(max_length=64, unique=True, default=_new_manage_token, editable=False)
    idempotency_key = models.UUIDField(unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    released_at = models.DateTimeField(null=True, blank=True)
    # The thank-you tracker: the couple's own ticks, shown once the surprise is revealed.
    received = models.BooleanField(default=False)
    thanked = models.BooleanField(default=False)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class Reservation(GuestPromise):
    """A guest's whisper: "I will give this". Never deleted by page edits."""

    class Status(models.TextChoices):
        RESERVED = "reserved", "Reserved"
        BOUGHT = "bought", "Bought"
        RELEASED = "released", "Released"

    gift = models.ForeignKey(Gift, on_delete=models.PROTECT, related_name="reservations")
    quantity = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RESERVED)
    # When the guest's answer came (metrics and reminders).
    bought_at = models.DateTimeField(null=True, blank=True)
    # Released because the guest never confirmed (not cancelled by them): they may still say they bought it.
    lapsed = models.BooleanField(default=False)

    class Meta(GuestPromise.Meta):
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="reservation_at_least_one"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.gift} by {self.name}"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.RELEASED


class Pledge(GuestPromise):
    """A guest's promise of an amount towards a fund or group gift, paid by them straight to the couple.

    WhisperGifts never sees the money: "paid" is the guest's own word. Never deleted by page edits.
    """

    class Status(models.TextChoices):
        PLEDGED = "pledged", "Pledged"
        PAID = "paid", "Paid"
        RELEASED = "released", "Released"

    gift = models.ForeignKey(Gift, on_delete=models.PROTECT, related_name="pledges")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLEDGED)
    paid_at = models.DateTimeField(null=True, blank=True)
    reminders_stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta(GuestPromise.Meta):
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="pledge_amount_positive")]

    def __str__(self):
        return f"{self.amount} towards {self.gift} by {self.name}"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.RELEASED


class CoupleEmailPreferences(models.Model):
    """How a couple wants to hear about their registry, and how guests are nudged to confirm.

    Kept apart from RegistryPage so that email settings don't become page revisions.
    """

    class ReservationEmails(models.TextChoices):
        EACH = "each", "An email for each reservation"
        DAILY = "daily", "One daily digest"
        OFF = "off", "No reservation emails"

    registry = models.OneToOneField(RegistryPage, on_delete=models.CASCADE, related_name="email_preferences")
    reservation_emails = models.CharField(
        max_length=5, choices=ReservationEmails.choices, default=ReservationEmails.EACH
    )
    reminders_enabled = models.BooleanField(
        default=True, help_text="Remind guests who reserved a gift to tell us whether they bought it."
    )
    first_reminder_days = models.PositiveSmallIntegerField(default=7)
    second_reminder_days = models.PositiveSmallIntegerField(default=14)
    auto_release_days = models.PositiveSmallIntegerField(
        default=21, help_text="Days after reserving when an unconfirmed gift becomes available again."
    )

    class Meta:
        db_table = "notifications_coupleemailpreferences"  # kept from when the notifications app held it
        verbose_name_plural = "couple email preferences"
        constraints = [
            models.CheckConstraint(
                condition=Q(first_reminder_days__gte=1)
                & Q(second_reminder_days__gt=models.F("first_reminder_days"))
                & Q(auto_release_days__gt=models.F("second_reminder_days")),
                name="reminder_days_in_order",
            ),
        ]

    def __str__(self):
        return f"Email preferences of {self.registry}"


class ReminderOptOut(models.Model):
    """A guest asked us to stop reminding them about one reservation (List-Unsubscribe)."""

    reservation = models.OneToOneField(Reservation, on_delete=models.CASCADE, related_name="reminder_opt_out")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "notifications_reminderoptout"  # kept from when the notifications app held it

    def __str__(self):
        return f"No reminders for reservation {self.reservation_id}"


class OutsideGift(models.Model):
    """A gift the couple received outside the registry, noted by hand for the thank-you list."""

    registry = models.ForeignKey(RegistryPage, on_delete=models.CASCADE, related_name="outside_gifts")
    giver = models.CharField(max_length=100)
    description = models.CharField("gift", max_length=200)
    received_on = models.DateField(null=True, blank=True)
    thanked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.description} from {self.giver}"
