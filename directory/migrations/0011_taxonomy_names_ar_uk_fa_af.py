"""Names of the taxonomies in Arabic, Ukrainian and Dari (fa-af), beside French and English.

name_en stays as it was. The names below are the seeded vocabulary's, written for this
project and awaiting a native speaker's review, as the catalogues are.
"""

from django.db import migrations, models

# slug: (Arabic, Ukrainian, Dari)
COMPETENCES = {
    'accueil-orientation': ('استقبال الوافدين الجدد وتوجيههم', 'Прийом і орієнтування новоприбулих', 'پذیرش و رهنمایی تازه\u200cواردان'),
    'sejour': ('تصاريح الإقامة والحق في الإقامة', 'Посвідки на проживання та право на перебування', 'اجازه\u200cهای اقامت و حق اقامت'),
    'asile': ('اللجوء', 'Притулок', 'پناهندگی'),
    'droits-sociaux': ('الوصول إلى الحقوق الاجتماعية', 'Доступ до соціальних прав', 'دسترسی به حقوق اجتماعی'),
    'logement-hebergement': ('السكن والإيواء', 'Житло та тимчасове розміщення', 'مسکن و سرپناه'),
    'emploi-formation': ('العمل والتدريب', 'Працевлаштування та навчання', 'اشتغال و آموزش'),
    'sante': ('الصحة', 'Здоров’я', 'صحت'),
    'apprentissage-francais': ('تعلّم اللغة الفرنسية', 'Вивчення французької мови', 'یادگیری زبان فرانسوی'),
    'scolarite-parentalite': ('التمدرس ودعم الوالدين', 'Шкільне навчання та батьківство', 'مکتب و تربیت فرزندان'),
    'lutte-discriminations': ('مكافحة التمييز', 'Протидія дискримінації', 'مبارزه با تبعیض'),
    'conseil-juridique': ('الاستشارة القانونية', 'Юридична консультація', 'مشورهٔ حقوقی'),
    'citoyennete-participation': ('المواطنة والمشاركة', 'Громадянство та участь', 'شهروندی و مشارکت'),
    'interpretariat-mediation': ('الترجمة الشفوية والوساطة', 'Усний переклад і медіація', 'ترجمانی و میانجی\u200cگری'),
}
KINDS = {
    'accueil-primo-arrivants': ('خدمة استقبال الوافدين الجدد', 'Служба прийому новоприбулих', 'خدمات پذیرش تازه\u200cواردان'),
    'point-acces-droits-etrangers': ('نقطة الوصول إلى حقوق الأجانب', 'Пункт доступу до прав іноземців', 'دفتر دسترسی به حقوق اتباع خارجی'),
    'maison-des-langues': ('دار اللغات / دروس اللغة الفرنسية', 'Дім мов / курси французької', 'خانهٔ زبان\u200cها / کورس\u200cهای زبان فرانسوی'),
    'point-acces-droit': ('نقطة الإرشاد القانوني', 'Пункт правової допомоги', 'دفتر کمک\u200cهای حقوقی'),
    'relais-anti-discrimination': ('نقطة اتصال لمكافحة التمييز', 'Осередок протидії дискримінації', 'مرکز مبارزه با تبعیض'),
    'accompagnement-social': ('خدمة المرافقة الاجتماعية', 'Служба соціального супроводу', 'خدمات حمایت اجتماعی'),
    'hebergement-logement': ('المرافقة في الإيواء والسكن', 'Супровід у питаннях розміщення та житла', 'کمک برای سرپناه و مسکن'),
    'acces-sante': ('الوصول إلى الرعاية الصحية', 'Доступ до медичної допомоги', 'دسترسی به خدمات صحی'),
    'centre-ressources': ('مركز موارد', 'Ресурсний центр', 'مرکز منابع'),
}


def fill(apps, schema_editor):
    # Only empty names are filled: one an editor already wrote in the admin is kept.
    for model_name, table in (("Competence", COMPETENCES), ("Kind", KINDS)):
        model = apps.get_model("directory", model_name)
        for item in model.objects.filter(slug__in=table):
            for field, value in zip(("name_ar", "name_uk", "name_fa_af"), table[item.slug]):
                if not getattr(item, field):
                    setattr(item, field, value)
            item.save(update_fields=["name_ar", "name_uk", "name_fa_af"])


class Migration(migrations.Migration):
    dependencies = [("directory", "0010_organisation_trusted_editors")]

    operations = [
        migrations.AddField(
            model_name="competence",
            name="name_ar",
            field=models.CharField(blank=True, max_length=120, verbose_name="nom (arabe)"),
        ),
        migrations.AddField(
            model_name="competence",
            name="name_uk",
            field=models.CharField(blank=True, max_length=120, verbose_name="nom (ukrainien)"),
        ),
        migrations.AddField(
            model_name="competence",
            name="name_fa_af",
            field=models.CharField(blank=True, max_length=120, verbose_name="nom (dari)"),
        ),
        migrations.AddField(
            model_name="kind",
            name="name_ar",
            field=models.CharField(blank=True, max_length=120, verbose_name="nom (arabe)"),
        ),
        migrations.AddField(
            model_name="kind",
            name="name_uk",
            field=models.CharField(blank=True, max_length=120, verbose_name="nom (ukrainien)"),
        ),
        migrations.AddField(
            model_name="kind",
            name="name_fa_af",
            field=models.CharField(blank=True, max_length=120, verbose_name="nom (dari)"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
