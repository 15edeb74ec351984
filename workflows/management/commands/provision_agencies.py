from django.core.management.base import BaseCommand

from content_types.agency import AgencyPage
from content_types.portal import PortalHomePage
from workflows.provisioning import agency_provision, province_groups, province_workflow


class Command(BaseCommand):
    help = "Tạo hoặc sửa lại nhóm, quyền, thư mục và quy trình phê duyệt của mọi cơ quan."

    def handle(self, *args, **options):
        province_groups()
        for home in PortalHomePage.objects.all():
            province_workflow(home)
        agencies = AgencyPage.objects.all()
        for agency in agencies:
            agency_provision(agency)
        self.stdout.write(f"Đã kiểm tra {agencies.count()} cơ quan.")
