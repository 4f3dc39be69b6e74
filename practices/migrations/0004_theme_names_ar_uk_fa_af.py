"""Names of the taxonomies in Arabic, Ukrainian and Dari (fa-af), beside French and English.

name_en stays as it was. The names below are the seeded vocabulary's, written for this
project and awaiting a native speaker's review, as the catalogues are.
"""

from django.db import migrations, models

# slug: (Arabic, Ukrainian, Dari)
THEMES = {
    'accueil-primo-arrivants': ('استقبال الوافدين الجدد', 'Прийом новоприбулих', 'پذیرش تازه\u200cواردان'),
    'langue': ('اللغة', 'Мова', 'زبان'),
    'acces-aux-droits': ('الوصول إلى الحقوق', 'Доступ до прав', 'دسترسی به حقوق'),
    'emploi': ('العمل', 'Працевлаштування', 'اشتغال'),
    'logement': ('السكن', 'Житло', 'مسکن'),
    'education': ('التعليم', 'Освіта', 'تعلیم و تربیه'),
    'sante': ('الصحة', 'Здоров’я', 'صحت'),
    'lutte-discriminations': ('مكافحة التمييز', 'Протидія дискримінації', 'مبارزه با تبعیض'),
    'citoyennete-participation': ('المواطنة والمشاركة', 'Громадянство та участь', 'شهروندی و مشارکت'),
    'culture-memoire': ('الثقافة والذاكرة', 'Культура і пам’ять', 'فرهنگ و حافظهٔ جمعی'),
    'laicite': ('العلمانية (اللائكية)', 'Світськість (laïcité)', 'لائیسیته (جدایی دین و دولت)'),
}


def fill(apps, schema_editor):
    # Only empty names are filled: one an editor already wrote in the admin is kept.
    for model_name, table in (("Theme", THEMES),):
        model = apps.get_model("practices", model_name)
        for item in model.objects.filter(slug__in=table):
            for field, value in zip(("name_ar", "name_uk", "name_fa_af"), table[item.slug]):
                if not getattr(item, field):
                    setattr(item, field, value)
            item.save(update_fields=["name_ar", "name_uk", "name_fa_af"])


class Migration(migrations.Migration):
    dependencies = [("practices", "0003_search_stems_and_trigrams")]

    operations = [
        migrations.AddField(
            model_name="theme",
            name="name_ar",
            field=models.CharField(blank=True, max_length=120, verbose_name="nom (arabe)"),
        ),
        migrations.AddField(
            model_name="theme",
            name="name_uk",
            field=models.CharField(blank=True, max_length=120, verbose_name="nom (ukrainien)"),
        ),
        migrations.AddField(
            model_name="theme",
            name="name_fa_af",
            field=models.CharField(blank=True, max_length=120, verbose_name="nom (dari)"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
