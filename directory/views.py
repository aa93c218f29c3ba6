from django.shortcuts import render

from directory.models import Organization, Person


def home(request):
    return render(request, "directory/home.html", {
        "organization_count": Organization.objects.count(),
        "person_count": Person.objects.count(),
    })
