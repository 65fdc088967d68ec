FROM python:3.11-slim-bookworm
# WeasyPrint needs Pango (the PDF reports embed their own fonts from static/fonts); Node.js runs ECharts on
# the server to draw the reports' charts as SVG (reports/echarts_ssr.js uses the vendored static/vendor/echarts).
# HarfBuzz's subsetter cuts the embedded fonts down to the glyphs used (without it WeasyPrint falls back to
# fontTools, slower and deprecated).
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2 nodejs \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
ENV DJANGO_SETTINGS_MODULE=rsoko.settings PYTHONUNBUFFERED=1
RUN DEBUG=1 python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "rsoko.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]
